package practice

import (
	"context"
	"time"

	"gpkiosk/sync/pretend"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/practiceday"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
)

// outputWait is how long printing or saving may take before the helper is
// told it did not work.
const outputWait = 20 * time.Second

// day is "What I practised today": the lessons finished since the last
// reset, and the pretend letter to practise scanning with.
func (s *Session) day() practiceday.PracticeDay {
	now := s.cfg.Clock().In(s.cfg.Location)
	d := practiceday.PracticeDay{Date: now, Letter: practiceday.Demo(pretend.Details(), now)}
	for _, l := range s.all {
		if s.done[l.ID] {
			d.Practised = append(d.Practised, text.T(l.Title))
		}
	}
	return d
}

func (s *Session) printSlip() {
	slip := receipt.Encode(receipt.PracticeDaySlip(s.day()))
	s.output(text.T(text.HelperPrinting), func(ctx context.Context) (string, error) {
		return text.T(text.HelperPrinting), s.cfg.Printer.Print(ctx, slip)
	})
}

func (s *Session) savePDF() {
	d := s.day()
	s.output(text.T(text.HelperSaving), func(ctx context.Context) (string, error) {
		pdf, err := letter.RenderPracticeDay(d)
		if err != nil {
			return "", err
		}
		where, err := s.cfg.SavePDF(ctx, pdf)
		return text.T(text.HelperSaved, where), err
	})
}

// output prints or saves off the UI goroutine, saying so on the helper's
// view, then says how it went.
func (s *Session) output(busy string, do func(ctx context.Context) (string, error)) {
	s.helperNote = busy
	s.showHelper()
	go func() {
		ctx, cancel := context.WithTimeout(s.ctx, outputWait)
		defer cancel()
		said, err := do(ctx)
		if err != nil {
			s.cfg.Log.Error("print or save what was practised", "err", err)
			said = text.T(text.HelperNotPrinted)
		}
		s.cfg.Do(func() {
			s.helperNote = said
			if s.helperShowing {
				s.showHelper()
			}
		})
	}()
}
