package speech

import (
	"slices"
	"strings"
	"testing"

	"gpkiosk/ui/text"
)

func TestSpokenLines(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []string
		want []string
	}{
		{"order kept", []string{"Heading", "Instruction", "Yes", "No"}, []string{"Heading", "Instruction", "Yes", "No"}},
		{"line breaks split", []string{"Your appointment\nwith Dr Okafor"}, []string{"Your appointment", "with Dr Okafor"}},
		{"bullets and list dashes go", []string{"• Check in", "- Book", "– Cancel", "‣ ◦ · Help"}, []string{"Check in", "Book", "Cancel", "Help"}},
		{"symbols espeak-ng names go", []string{"Next →", "Done ✓ 😀", "*Required*", "A & E"}, []string{"Next", "Done", "Required", "A & E"}},
		{"a dash inside stays", []string{"Mon–Fri, 8-6"}, []string{"Mon–Fri, 8-6"}},
		{"time as hour and minute", []string{"Tuesday 3 March at 10:20", "at 9:05"}, []string{"Tuesday 3 March at 10 20", "at 9 05"}},
		{"other scripts' digits too", []string{"১০:২০"}, []string{"১০ ২০"}},
		{"empty lines dropped", []string{"", " • ", "\n\n", "Yes"}, []string{"Yes"}},
		{"spaces tidied", []string{"  Book\tan   appointment "}, []string{"Book an appointment"}},
		{"bidi marks go, joiners stay", []string{"\u200fموعدك\u200e 10:20", "ਕ\u200dਰ ক্\u200cষ"}, []string{"موعدك 10 20", "ਕ\u200dਰ ক্\u200cষ"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SpokenLines(c.in); !slices.Equal(got, c.want) {
				t.Errorf("SpokenLines(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestSSML(t *testing.T) {
	got := ssml([]string{"A & E", "Yes <now>", "Don't"})
	want := `<speak><s>A &amp; E</s><break time="400ms"/><s>Yes &lt;now&gt;</s><break time="400ms"/><s>Don't</s></speak>`
	if got != want {
		t.Errorf("ssml = %s\nwant   %s", got, want)
	}
}

func TestVoices(t *testing.T) {
	for _, l := range text.Languages() {
		v, ok := Voice(l.Tag)
		if !ok || v == "" || strings.HasPrefix(v, "mb-") {
			t.Errorf("%s (%s): voice %q, %v; want an espeak-ng voice, never MBROLA", l.Tag, l.Name, v, ok)
		}
	}
	if v, _ := Voice(text.LangEnglish); v != "en-gb" {
		t.Errorf("English voice %q, want en-gb (a UK surgery)", v)
	}
	if _, ok := Voice("de"); ok {
		t.Error("a voice for a language the kiosk does not offer")
	}
}

func TestVolumeAndRateClamped(t *testing.T) {
	for _, c := range []struct{ in, want int }{{0, DefaultVolume}, {1, 1}, {150, 150}, {200, 200}, {500, 200}, {-5, DefaultVolume}} {
		if got := clamp(c.in, DefaultVolume, 0, MaxVolume); got != c.want {
			t.Errorf("volume %d -> %d, want %d", c.in, got, c.want)
		}
	}
}
