package speech

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"gpkiosk/ui/text"
)

// screens are a typical kiosk screen in each language: heading,
// instruction, two choices. Written for these tests (machine-made
// translations, close enough for a voice to read); the kiosk's real words
// come from ui/text.
var screens = map[text.Lang][]string{
	text.LangEnglish:    {"Welcome to the surgery", "Touch a button to begin", "• Check in for my appointment", "Book an appointment"},
	text.LangWelsh:      {"Croeso i'r feddygfa", "Cyffyrddwch â botwm i ddechrau", "Cofrestru ar gyfer fy apwyntiad", "Trefnu apwyntiad"},
	text.LangPolish:     {"Witamy w przychodni", "Dotknij przycisku, aby rozpocząć", "Zgłoś przybycie na wizytę", "Umów wizytę"},
	text.LangRomanian:   {"Bine ați venit la cabinet", "Atingeți un buton pentru a începe", "Anunțați sosirea la programare", "Faceți o programare"},
	text.LangPortuguese: {"Bem-vindo ao centro de saúde", "Toque num botão para começar", "Registar a chegada à consulta", "Marcar uma consulta"},
	text.LangPunjabi:    {"ਸਰਜਰੀ ਵਿੱਚ ਜੀ ਆਇਆਂ ਨੂੰ", "ਸ਼ੁਰੂ ਕਰਨ ਲਈ ਬਟਨ ਦਬਾਓ", "ਮੇਰੀ ਮੁਲਾਕਾਤ ਲਈ ਹਾਜ਼ਰੀ ਲਗਾਓ", "ਮੁਲਾਕਾਤ ਬੁੱਕ ਕਰੋ"},
	text.LangBengali:    {"সার্জারিতে স্বাগতম", "শুরু করতে একটি বোতাম স্পর্শ করুন", "আমার অ্যাপয়েন্টমেন্টের জন্য চেক ইন করুন", "অ্যাপয়েন্টমেন্ট বুক করুন"},
	text.LangUrdu:       {"سرجری میں خوش آمدید", "شروع کرنے کے لیے بٹن دبائیں", "اپنی ملاقات کے لیے حاضری لگائیں", "ملاقات بک کریں"},
	text.LangArabic:     {"مرحباً بكم في العيادة", "المس زراً للبدء", "تسجيل الوصول لموعدي", "حجز موعد"},
}

// needTools skips when the programs these tests drive are not installed;
// `make deps` installs them (Debian espeak-ng, sox), so `make test` runs them.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian package %s; `make deps` installs it)", tool, map[string]string{
				"espeak-ng": "espeak-ng", "sox": "sox", "aplay": "alsa-utils"}[tool])
		}
	}
}

// render has espeak-ng write lines to a WAV file exactly as Say would speak
// them (same options, same SSML on standard input), at volume.
func render(t *testing.T, lang text.Lang, lines []string, volume int) string {
	t.Helper()
	voice, ok := Voice(lang)
	if !ok {
		t.Fatalf("no voice for %s", lang)
	}
	s := &Espeak{volume: clamp(volume, DefaultVolume, 0, MaxVolume), rate: DefaultRate}
	wav := filepath.Join(t.TempDir(), string(lang)+".wav")
	cmd := exec.CommandContext(context.Background(), "espeak-ng", append(s.espeakArgs(voice), "-w", wav)...)
	cmd.Stdin = strings.NewReader(ssml(SpokenLines(lines)))
	cmd.Env = append(os.Environ(), "LANG=C", "LC_ALL=C") // -b 1 must make the locale irrelevant
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("espeak-ng -v %s: %v: %s", voice, err, out)
	}
	return wav
}

var statLine = regexp.MustCompile(`(?m)^(Length \(seconds\)|RMS\s+amplitude):\s+([0-9.]+)`)

// soxStat is the length in seconds and RMS amplitude (0 to 1) sox measures.
func soxStat(t *testing.T, wav string) (length, rms float64) {
	t.Helper()
	out, err := exec.CommandContext(context.Background(), "sox", wav, "-n", "stat").CombinedOutput()
	if err != nil {
		t.Fatalf("sox %s -n stat: %v: %s", wav, err, out)
	}
	got := map[string]float64{}
	for _, m := range statLine.FindAllStringSubmatch(string(out), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		got[strings.Fields(m[1])[0]] = v
	}
	if len(got) != 2 {
		t.Fatalf("sox stat: no length and RMS in %q", out)
	}
	return got["Length"], got["RMS"]
}

// letters counts what a voice has to say: letters and digits, not the
// vowel signs and other marks Indic and Arabic scripts attach to them.
func letters(lines []string) int {
	n := 0
	for _, l := range lines {
		for _, r := range l {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
			}
		}
	}
	return n
}

func TestEachLanguageIsSpoken(t *testing.T) {
	needTools(t, "espeak-ng", "sox")
	for _, l := range text.Languages() {
		lines, ok := screens[l.Tag]
		if !ok {
			t.Errorf("%s: no sample screen in this test", l.Tag)
			continue
		}
		t.Run(string(l.Tag), func(t *testing.T) {
			length, rms := soxStat(t, render(t, l.Tag, lines, 0))
			spoken := SpokenLines(lines)
			speech := length - float64(len(spoken)-1)*linePause/1000
			n := letters(spoken)
			perLetter := speech / float64(n)
			t.Logf("%s: %.2f s, RMS %.3f, %d letters, %.3f s a letter", l.Tag, length, rms, n, perLetter)
			if rms < 0.02 {
				t.Errorf("RMS amplitude %.4f: silence, or too quiet to be speech", rms)
			}
			if perLetter < minPerLetter || perLetter > maxPerLetter {
				t.Errorf("%.2f s of speech for %d letters (%.3f s a letter): not this text read at %d words a minute",
					speech, n, perLetter, DefaultRate)
			}
		})
	}
}

// Bounds on seconds of speech a letter (after taking out the pauses
// between lines). Letters, not words: a screen's words differ in length
// from language to language far more than its letters' sounds do (Welsh
// "Cyffyrddwch", Arabic "حجز"), and letters need no rules for where a word
// ends. Vowel signs and other marks are not counted: they ride on a letter.
// Measured at 150 words a minute: 0.09 (English) to 0.19 (Punjabi) s a
// letter; the bounds leave a factor of two either side. Below, lines were
// dropped or cut short; above, text was spelled out or dragged.
const (
	minPerLetter = 0.04
	maxPerLetter = 0.4
)

// The practice's volume reaches espeak-ng: louder is louder, measured.
func TestVolumeSetting(t *testing.T) {
	needTools(t, "espeak-ng", "sox")
	lines := screens[text.LangEnglish]
	_, quiet := soxStat(t, render(t, text.LangEnglish, lines, 40))
	_, normal := soxStat(t, render(t, text.LangEnglish, lines, 0))
	_, loud := soxStat(t, render(t, text.LangEnglish, lines, 180))
	t.Logf("RMS at volume 40: %.3f, default (%d): %.3f, 180: %.3f", quiet, DefaultVolume, normal, loud)
	if !(quiet < normal*0.7 && normal < loud*0.85) {
		t.Errorf("RMS %.3f, %.3f, %.3f at volumes 40, %d, 180: the setting does not change loudness", quiet, normal, loud, DefaultVolume)
	}
}

// The measure in TestEachLanguageIsSpoken can fail: sox reads the probe's
// silence as RMS 0.
func TestSilenceMeasuresSilent(t *testing.T) {
	needTools(t, "sox")
	wav := filepath.Join(t.TempDir(), "silence.wav")
	if err := os.WriteFile(wav, silentWAV(500*time.Millisecond), 0o600); err != nil {
		t.Fatal(err)
	}
	length, rms := soxStat(t, wav)
	if rms != 0 || length < 0.49 || length > 0.51 {
		t.Errorf("silentWAV(500ms): sox says %.3f s, RMS %f; want 0.5 s of silence", length, rms)
	}
}

// ipa is what espeak-ng would say for s in lang, as IPA.
func ipa(t *testing.T, lang text.Lang, s string) string {
	t.Helper()
	voice, _ := Voice(lang)
	out, err := exec.CommandContext(context.Background(), "espeak-ng", "-q", "--ipa", "-v", voice, s).CombinedOutput()
	if err != nil {
		t.Fatalf("espeak-ng --ipa -v %s: %v: %s", voice, err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// A time on screen is said as hour and minute in every voice, never with
// the colon read out: the Urdu voice reads "10:20" as "das raabtah bees"
// (ratio), which the rewrite in SpokenLines avoids.
func TestTimesAreSaidAsHourAndMinute(t *testing.T) {
	needTools(t, "espeak-ng")
	for _, l := range text.Languages() {
		raw, spoken := ipa(t, l.Tag, "10:20"), ipa(t, l.Tag, SpokenLines([]string{"10:20"})[0])
		t.Logf("%s: %q -> %q (raw %q)", l.Tag, "10:20", spoken, raw)
		// Two words, ten and twenty; a third would be the colon read out.
		if w := strings.Fields(spoken); len(w) != 2 {
			t.Errorf("%s: 10:20 said %q: %d words, want hour and minute", l.Tag, spoken, len(w))
		}
	}
	if ur := strings.Fields(ipa(t, text.LangUrdu, "10:20")); len(ur) == 2 {
		t.Errorf("the Urdu voice now reads 10:20 as hour and minute by itself (%q): the rewrite's reason has gone", ur)
	}
}
