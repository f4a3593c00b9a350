package theme

import (
	"slices"
	"sync"

	"fyne.io/fyne/v2"
)

// Switcher holds the patient's current text size, contrast and language
// and applies changes to the running app. Screens hold one Switcher rather than
// package state so tests can run several apps side by side.
type Switcher struct {
	app fyne.App

	mu        sync.Mutex
	current   Settings
	listeners []func(Settings)
}

// NewSwitcher applies initial to a at once and returns a Switcher for it.
// Like all Fyne calls it must run on the Fyne goroutine.
func NewSwitcher(a fyne.App, initial Settings) *Switcher {
	s := &Switcher{app: a, current: initial}
	a.Settings().SetTheme(NewWith(initial))
	return s
}

// Current returns the settings in force.
func (s *Switcher) Current() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

// Set switches the app to st and tells every listener. Setting what is
// already in force does nothing, so a double tap does not redraw twice.
// Call it on the Fyne goroutine, as from a button's OnTapped.
func (s *Switcher) Set(st Settings) {
	s.mu.Lock()
	if st == s.current {
		s.mu.Unlock()
		return
	}
	s.current = st
	ls := slices.Clone(s.listeners)
	s.mu.Unlock()

	s.app.Settings().SetTheme(NewWith(st))
	// Listeners run without the lock so they may call Current or Set.
	for _, f := range ls {
		f(st)
	}
}

// SetSize changes only the text size.
func (s *Switcher) SetSize(z TextSize) {
	st := s.Current()
	st.Size = z
	s.Set(st)
}

// SetHighContrast changes only the contrast.
func (s *Switcher) SetHighContrast(on bool) {
	st := s.Current()
	st.HighContrast = on
	s.Set(st)
}

// OnChange registers f to be called with the new settings after each
// change, for example to mark the selected A/A+/A++ switch or save the
// choice.
func (s *Switcher) OnChange(f func(Settings)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, f)
}
