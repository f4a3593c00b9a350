package staff

import (
	"context"

	"gpkiosk/store/replica"
	"gpkiosk/ui/letter"
)

// CUPSLetters renders letters with ui/letter and prints them through CUPS.
type CUPSLetters struct{}

// NewLetters is the real letter maker for the desk.
func NewLetters() CUPSLetters { return CUPSLetters{} }

// Render makes the letter's PDF from a prepared registration.
func (CUPSLetters) Render(p replica.PreparedRegistration) ([]byte, error) {
	return letter.Render(letter.Details{PracticeName: p.Practice.Name, PracticeAddress: p.Practice.Address,
		PracticePostcode: p.Practice.Postcode, PracticePhone: p.Practice.Phone, ODS: p.Practice.ODSCode,
		PatientName: p.Addressee, ActingForName: p.ActingFor, AccountID: p.Details.AccountID, LinkageKey: p.Details.LinkageKey,
		IssuedAt: p.IssuedAt, ExpiresAt: p.ExpiresAt})
}

// Printers lists the computer's CUPS queues, which can print now and
// which is the default.
func (CUPSLetters) Printers(ctx context.Context) ([]letter.Queue, error) { return letter.Queues(ctx) }

// Print prints and waits until CUPS says the job completed.
func (CUPSLetters) Print(ctx context.Context, printer string, pdf []byte, title string) error {
	return letter.CUPSPrinter{Queue: printer}.Print(ctx, pdf, title)
}

// Save writes the PDF, whole or not at all.
func (CUPSLetters) Save(path string, pdf []byte) error { return letter.SavePDF(path, pdf) }

// Message is the sentence to show staff for a print or save error.
func (CUPSLetters) Message(err error) string { return letter.Message(err) }
