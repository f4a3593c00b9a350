package staff

import (
	"context"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/letter"
	"gpkiosk/ui/text"
)

// printTimeout is how long staff wait for the printer to say it printed.
const printTimeout = 2 * time.Minute

// printerChoice is the printer drop-down: each printer's name, marked when
// it cannot print now.
type printerChoice struct {
	sel    *widget.Select
	queues map[string]letter.Queue // by label
}

func (c *printerChoice) queue() (letter.Queue, bool) {
	q, ok := c.queues[c.sel.Selected]
	return q, ok
}

// defaultPrinter is where a letter should go unless staff choose: the
// computer's default printer if it can print now, else the first that can,
// else the default, else the first. -1 when there are none.
func defaultPrinter(qs []letter.Queue) int {
	first, def := -1, -1
	for i, q := range qs {
		if q.Ready && q.Default {
			return i
		}
		if q.Ready && first < 0 {
			first = i
		}
		if q.Default && def < 0 {
			def = i
		}
	}
	switch {
	case first >= 0:
		return first
	case def >= 0:
		return def
	case len(qs) > 0:
		return 0
	}
	return -1
}

// letterJob is one letter to put on paper or disk, and what to say and do
// once it is there.
type letterJob struct {
	pdf []byte
	// title names the CUPS job. Anyone on the computer can list print
	// jobs, so it names nobody.
	title string
	file  string // the suggested file name before its date, e.g. "registration-letter"
	// printed and saved say where the letter went; failed follows the
	// error's sentence (what did or did not happen because of it).
	printed func(printer string) string
	saved   func(path string) string
	failed  string
	// done runs on the UI goroutine once the letter is out, with what
	// printed or saved said.
	done func(said string)
}

// letterOut is the desk's one way for a letter to leave it: the printer
// list, Print, and Save as PDF, saying on the screen's message line what
// is happening.
type letterOut struct {
	d       *Desk
	job     letterJob
	message *widget.Label
	// content goes in the screen's body; save and print in its footer.
	content *fyne.Container
	save    *widget.Button
	print   *widget.Button

	choice   *printerChoice
	buttons  []*widget.Button // every button of the screen, which wait while a letter prints
	canPrint bool             // a printer is chosen
	working  bool             // a letter is printing or saving
}

// newLetterOut builds the printer choice and the save path for job, and
// asks CUPS for the printers off the UI goroutine (CUPS can be slow). Call
// hold with the screen's buttons once they are built.
func (d *Desk) newLetterOut(job letterJob, message *widget.Label) *letterOut {
	o := &letterOut{d: d, job: job, message: message, choice: &printerChoice{queues: map[string]letter.Queue{}}}
	state := para("")
	state.Importance = widget.WarningImportance
	state.Hide()
	o.choice.sel = widget.NewSelect(nil, func(string) {
		d.touch()
		if q, ok := o.choice.queue(); ok && !q.Ready {
			state.SetText(text.T(text.WizardPrinterNotNow, q.Name, q.Why))
			state.Show()
		} else {
			state.Hide()
		}
		d.relayout()
	})
	o.choice.sel.PlaceHolder = text.T(text.WizardFindPrinters)
	o.choice.sel.Disable()
	printers := container.NewVBox(widget.NewLabel(text.T(text.WizardPrinter)), o.choice.sel, state)

	o.print = widget.NewButton(text.T(text.WizardPrint), func() {
		q, ok := o.choice.queue()
		if !ok {
			return
		}
		o.produce(text.T(text.WizardPrintingOn, q.Name),
			func(ctx context.Context) error { return d.cfg.Letters.Print(ctx, q.Name, job.pdf, job.title) }, job.printed(q.Name))
	})
	o.print.Importance = widget.HighImportance
	o.print.Disable()

	path := widget.NewEntry()
	path.SetText(filepath.Join(d.saveDir(), job.file+"-"+d.cfg.Clock().In(d.cfg.Location).Format("2006-01-02-150405")+".pdf"))
	o.save = widget.NewButton(text.T(text.WizardSave), func() {
		to := path.Text
		o.produce(text.T(text.WizardSaving), func(context.Context) error { return d.cfg.Letters.Save(to, job.pdf) }, job.saved(to))
	})
	o.content = container.NewVBox(printers, widget.NewSeparator(), widget.NewLabel(text.T(text.WizardSaveTo)), path)

	go func() {
		qs, err := d.cfg.Letters.Printers(d.ctx)
		if err != nil {
			d.cfg.Log.Warn("listing printers failed", "err", err)
		}
		d.cfg.Do(func() {
			if len(qs) == 0 {
				printers.Objects = []fyne.CanvasObject{para(text.T(text.WizardNoPrinters))}
				printers.Refresh()
				d.relayout()
				o.print.Hide()
				return
			}
			labels := make([]string, len(qs))
			for i, q := range qs {
				labels[i] = q.Name
				if !q.Ready {
					labels[i] = text.T(text.WizardPrinterOff, q.Name)
				}
				o.choice.queues[labels[i]] = q
			}
			o.choice.sel.SetOptions(labels)
			defer d.relayout()
			o.choice.sel.SetSelectedIndex(defaultPrinter(qs))
			o.canPrint = true
			o.busy(o.working)
		})
	}()
	return o
}

// hold names every button of the screen: they all wait while a letter
// prints or saves.
func (o *letterOut) hold(buttons []*widget.Button) { o.buttons = buttons }

// busy greys out every button while a letter is printing or saving, and
// Print and the printer list until there is a printer to choose.
func (o *letterOut) busy(on bool) {
	o.working = on
	for _, b := range o.buttons {
		if on || (b == o.print && !o.canPrint) {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on || !o.canPrint {
		o.choice.sel.Disable()
	} else {
		o.choice.sel.Enable()
	}
}

// produce runs print or save off the UI goroutine (a printer can take a
// while) and calls done only if it succeeded. It says at once what is
// happening, next to the buttons. Every button waits meanwhile: leaving
// now could, say, mint a second set of registration details while the
// first letter is coming out of the printer.
func (o *letterOut) produce(doing string, do func(ctx context.Context) error, said string) {
	o.busy(true)
	o.message.Importance = widget.MediumImportance
	o.d.say(o.message, doing)
	go func() {
		ctx, cancel := context.WithTimeout(o.d.ctx, printTimeout)
		err := do(ctx)
		cancel()
		o.d.cfg.Do(func() {
			o.busy(false)
			if err != nil {
				o.message.Importance = widget.DangerImportance
				msg := o.d.cfg.Letters.Message(err)
				if o.job.failed != "" {
					msg += " " + o.job.failed
				}
				o.d.say(o.message, msg)
				return
			}
			o.job.done(said)
		})
	}()
}
