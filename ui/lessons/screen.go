package lessons

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2"

	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// Screen is what the kiosk shows now, read from its widgets: a lesson
// step asks it which screen this is and where the control to press is.
type Screen struct {
	found []placed
}

type placed struct {
	o  fyne.CanvasObject
	at fyne.Position
}

// ReadScreen reads every visible object under root, with its position
// relative to root.
func ReadScreen(root fyne.CanvasObject) *Screen {
	s := &Screen{}
	widgets.Walk(root, func(o fyne.CanvasObject, at fyne.Position) bool {
		s.found = append(s.found, placed{o, at})
		return true
	})
	return s
}

// Heading is the screen's title: its first heading.
func (s *Screen) Heading() string {
	for _, p := range s.found {
		if t, ok := p.o.(*widgets.Text); ok && t.Role == widgets.TextHeading {
			return t.Text
		}
	}
	return ""
}

// HeadingIs reports whether the title is the catalogue's k, any %s in it
// standing for any words.
func (s *Screen) HeadingIs(k text.Key) bool { return matches(k, s.Heading()) }

func matches(k text.Key, got string) bool {
	parts := strings.Split(text.T(k), "%s")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$").MatchString(got)
}

// Practised reports whether the title says something was done on the
// pretend practice ("Practice only: You are booked in.").
func (s *Screen) Practised(k text.Key) bool {
	return s.Heading() == text.T(text.PracticeSays, text.T(k))
}

// Button is the first enabled button whose label starts with label.
func (s *Screen) Button(label string) *widgets.Button {
	return first(s, func(b *widgets.Button) bool { return !b.Disabled() && strings.HasPrefix(b.Text, label) })
}

// ButtonFor is Button for the catalogue's words.
func (s *Screen) ButtonFor(k text.Key) *widgets.Button { return s.Button(text.T(k)) }

// Primary is the first enabled main-action button in the screen's body,
// such as the first free time.
func (s *Screen) Primary() *widgets.Button {
	return first(s, func(b *widgets.Button) bool { return !b.Disabled() && b.Kind == widgets.ButtonPrimary })
}

// NthPrimary is the n-th (from 0) enabled main-action button showing.
func (s *Screen) NthPrimary(n int) *widgets.Button {
	return first(s, func(b *widgets.Button) bool {
		if b.Disabled() || b.Kind != widgets.ButtonPrimary {
			return false
		}
		n--
		return n < 0
	})
}

// Unticked is the first medicine that can be ticked and is not.
func (s *Screen) Unticked() *widgets.Button {
	return first(s, func(b *widgets.Button) bool { return !b.Disabled() && b.Kind == widgets.ButtonCheck && !b.Checked })
}

// Ticked reports whether any choice is ticked.
func (s *Screen) Ticked() bool {
	return first(s, func(b *widgets.Button) bool { return b.Kind == widgets.ButtonCheck && b.Checked }) != nil
}

// Keypad is the on-screen keys, if the screen has them.
func (s *Screen) Keypad() *widgets.Keypad { return first[*widgets.Keypad](s, nil) }

// DateOfBirth is the date-of-birth entry, if the screen has one.
func (s *Screen) DateOfBirth() *widgets.DateOfBirthEntry {
	return first[*widgets.DateOfBirthEntry](s, nil)
}

// Typed is what the screen shows typed in its box, without the spaces
// that group it, or "" when the box shows a placeholder such as "(No note)".
func (s *Screen) Typed() string {
	if d := s.DateOfBirth(); d != nil {
		return d.Typed()
	}
	f := first[*widgets.Field](s, nil)
	if f == nil {
		return ""
	}
	for _, part := range f.Parts() {
		if t, ok := part.(*widgets.Text); ok {
			if strings.HasPrefix(t.Text, "(") {
				return ""
			}
			return strings.ReplaceAll(t.Text, " ", "")
		}
	}
	return ""
}

// Where is o's place on the screen, if it is showing.
func (s *Screen) Where(o fyne.CanvasObject) (fyne.Position, fyne.Size, bool) {
	for _, p := range s.found {
		if p.o == o {
			return p.at, o.Size(), true
		}
	}
	return fyne.Position{}, fyne.Size{}, false
}

// Covers reports whether a box at pos of size would lie over any control
// on the screen but except.
func (s *Screen) Covers(pos fyne.Position, size fyne.Size, except fyne.CanvasObject) bool {
	for _, p := range s.found {
		if _, ok := p.o.(fyne.Tappable); !ok || p.o == except {
			continue
		}
		o := p.o.Size()
		if pos.X < p.at.X+o.Width && p.at.X < pos.X+size.Width && pos.Y < p.at.Y+o.Height && p.at.Y < pos.Y+size.Height {
			return true
		}
	}
	return false
}

func first[T fyne.CanvasObject](s *Screen, match func(T) bool) T {
	var zero T
	for _, p := range s.found {
		if x, ok := p.o.(T); ok && (match == nil || match(x)) {
			return x
		}
	}
	return zero
}
