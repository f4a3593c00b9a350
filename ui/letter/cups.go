package letter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CUPSPrinter prints letters on a CUPS queue (one of Printers()).
type CUPSPrinter struct {
	Queue string
}

// Timing of Print. A letter normally prints in a few seconds; a stuck
// printer must not keep staff waiting long.
const (
	defaultPrintTimeout = 2 * time.Minute
	pollInterval        = 250 * time.Millisecond
	cleanupTimeout      = 10 * time.Second
)

const opPrint = "letter print"

// Print sends pdf to the queue with lp and waits until CUPS says the job
// completed. It returns nil only then: a job that is aborted, cancelled
// or held, a printer that stops or stops accepting jobs, or ctx ending
// (ErrPrintTimeout; two minutes when ctx has no deadline) all return an
// error, and the job is cancelled so it cannot print later.
//
// title is the job's name in CUPS, which any user of the computer can
// list: do not put the patient's name in it.
func (p CUPSPrinter) Print(ctx context.Context, pdf []byte, title string) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultPrintTimeout)
		defer cancel()
	}
	if p.Queue == "" || strings.HasPrefix(p.Queue, "-") || strings.ContainsAny(p.Queue, "/#? \t\n") {
		return &Error{Op: opPrint, Kind: ErrPrinterNotFound, Cause: fmt.Errorf("invalid queue name %q", p.Queue)}
	}
	ipp, err := connectIPP(ctx)
	if err != nil {
		return err
	}
	defer ipp.close()

	// Refuse before submitting when the queue cannot print now: a job
	// queued on a stopped printer would come out whenever someone
	// restarts it, long after staff gave up.
	if err := p.checkPrinter(ctx, ipp); err != nil {
		return err
	}

	jobID, err := p.submit(ctx, pdf, title)
	if err != nil {
		return err
	}
	slog.Info("letter print: submitted", "queue", p.Queue, "job", jobID)
	err = ctx.Err()
	if err != nil {
		err = p.ctxErr(ctx, jobID)
	} else {
		err = p.wait(ctx, ipp, jobID)
	}
	if err != nil {
		p.cancelJob(jobID)
		slog.Warn("letter print: not printed, job cancelled", "queue", p.Queue, "job", jobID, "err", err)
		return err
	}
	slog.Info("letter print: completed", "queue", p.Queue, "job", jobID)
	return nil
}

// checkPrinter returns ErrPrinterNotFound or ErrPrinterStopped when the
// queue cannot take a job now.
func (p CUPSPrinter) checkPrinter(ctx context.Context, ipp *ippClient) error {
	a, err := ipp.printer(ctx, p.Queue)
	if errors.Is(err, errIPPNotFound) {
		return &Error{Op: opPrint, Kind: ErrPrinterNotFound, Cause: fmt.Errorf("no CUPS queue %q", p.Queue)}
	}
	if err != nil {
		return p.ctxOr(ctx, &Error{Op: opPrint, Kind: ErrPrintFailed, Reason: "The computer could not ask the printer how it is.", Cause: err})
	}
	state, _ := a.int("printer-state")
	accepting, ok := a.bool("printer-is-accepting-jobs")
	if state == printerStopped || (ok && !accepting) || hasErrorReason(a.strings("printer-state-reasons")) {
		return &Error{Op: opPrint, Kind: ErrPrinterStopped, Reason: printerReason(a, accepting || !ok),
			Cause: fmt.Errorf("queue %q: printer-state %d, accepting %v, reasons %v", p.Queue, state, accepting, a.strings("printer-state-reasons"))}
	}
	return nil
}

var requestID = regexp.MustCompile(`request id is (\S+)-(\d+) `)

// submit runs lp and returns the job's id ("GPKiosk-PDF-12").
func (p CUPSPrinter) submit(ctx context.Context, pdf []byte, title string) (string, error) {
	lp, err := exec.LookPath("lp")
	if err != nil {
		return "", &Error{Op: opPrint, Kind: ErrPrinterNotFound, Reason: "Printing is not installed on this computer.", Cause: err}
	}
	title = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, title)
	if strings.TrimSpace(title) == "" {
		title = "Registration letter"
	}
	// lp runs to the end even if ctx ends meanwhile: killing it could
	// leave a queued job whose id we never learn, which would print later.
	// Print cancels the job once it has the id.
	lpCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	cmd := exec.CommandContext(lpCtx, lp, "-d", p.Queue, "-t", title, "-o", "document-format=application/pdf", "--", "-")
	cmd.Env = cupsEnv()
	cmd.Stdin = bytes.NewReader(pdf)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	msg := strings.TrimSpace(stderr.String())
	if runErr != nil {
		if lpCtx.Err() != nil {
			return "", &Error{Op: opPrint, Kind: ErrPrintTimeout, Reason: "The printing service did not answer.", Cause: fmt.Errorf("lp: %s: %w", msg, lpCtx.Err())}
		}
		return "", &Error{Op: opPrint, Kind: lpErrorKind(msg), Cause: fmt.Errorf("lp: %s: %w", msg, runErr)}
	}
	m := requestID.FindStringSubmatch(stdout.String())
	if m == nil {
		return "", &Error{Op: opPrint, Kind: ErrPrintFailed, Reason: "The printer did not say it took the letter.",
			Cause: fmt.Errorf("unexpected lp output %q", strings.TrimSpace(stdout.String()))}
	}
	return m[1] + "-" + m[2], nil
}

// lpErrorKind sorts lp's complaint (C locale) into the errors staff see.
func lpErrorKind(msg string) error {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "does not exist"), strings.Contains(m, "not found"), strings.Contains(m, "unknown destination"):
		return ErrPrinterNotFound
	case strings.Contains(m, "not accepting"), strings.Contains(m, "stopped"), strings.Contains(m, "disabled"):
		return ErrPrinterStopped
	}
	return ErrPrintFailed
}

// wait polls CUPS until the job completes or something means it will not.
func (p CUPSPrinter) wait(ctx context.Context, ipp *ippClient, jobID string) error {
	n, _ := strconv.Atoi(jobID[strings.LastIndexByte(jobID, '-')+1:])
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		job, err := ipp.job(ctx, n)
		switch {
		case errors.Is(err, errIPPNotFound):
			// Purged without our seeing it finish: we cannot say it printed.
			return &Error{Op: opPrint, Kind: ErrPrintFailed, Reason: "The printer lost track of the letter.", Cause: fmt.Errorf("job %s: not found", jobID)}
		case err != nil:
			if ctx.Err() != nil {
				return p.ctxErr(ctx, jobID)
			}
			return &Error{Op: opPrint, Kind: ErrPrintFailed, Reason: "The computer could not ask the printer how it is.", Cause: fmt.Errorf("job %s: %w", jobID, err)}
		}
		state, _ := job.int("job-state")
		reasons := job.strings("job-state-reasons")
		switch state {
		case jobCompleted:
			return nil
		case jobCanceled, jobAborted:
			return &Error{Op: opPrint, Kind: ErrPrintFailed, Reason: jobReason(job),
				Cause: fmt.Errorf("job %s: job-state %d, reasons %v", jobID, state, reasons)}
		case jobHeld:
			return &Error{Op: opPrint, Kind: ErrPrintFailed, Reason: "The letter was held back by the printer.",
				Cause: fmt.Errorf("job %s: held, reasons %v", jobID, reasons)}
		case jobPending, jobProcessing, jobStopped:
			// A job waits for a stopped printer for ever; look at the printer.
			if err := p.checkPrinter(ctx, ipp); err != nil {
				return err
			}
		default:
			return &Error{Op: opPrint, Kind: ErrPrintFailed, Cause: fmt.Errorf("job %s: unknown job-state %d", jobID, state)}
		}
		select {
		case <-ctx.Done():
			return p.ctxErr(ctx, jobID)
		case <-t.C:
		}
	}
}

func (p CUPSPrinter) ctxErr(ctx context.Context, jobID string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Op: opPrint, Kind: ErrPrintTimeout, Cause: fmt.Errorf("job %s: %w", jobID, ctx.Err())}
	}
	return &Error{Op: opPrint, Kind: ErrPrintFailed, Reason: "Printing was stopped.", Cause: fmt.Errorf("job %s: %w", jobID, ctx.Err())}
}

// ctxOr prefers the context's error when ctx ended, since the I/O error
// is then only its symptom.
func (p CUPSPrinter) ctxOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return p.ctxErr(ctx, "(none yet)")
	}
	return err
}

// cancelJob cancels a job we gave up on, with its own short deadline:
// the caller's context may be what ended.
func (p CUPSPrinter) cancelJob(jobID string) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	path, err := exec.LookPath("cancel")
	if err != nil {
		slog.Error("letter print: cannot cancel job, cancel command missing", "queue", p.Queue, "job", jobID)
		return
	}
	cmd := exec.CommandContext(ctx, path, jobID)
	cmd.Env = cupsEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		// "already completed/canceled" is fine: nothing more will print.
		slog.Warn("letter print: cancel failed", "queue", p.Queue, "job", jobID, "err", err, "output", strings.TrimSpace(string(out)))
	}
}

// Printers lists the CUPS queues on this computer, for a printer chooser.
// No queues is an empty list, not an error.
func Printers(ctx context.Context) ([]string, error) {
	const op = "letter printers"
	path, err := exec.LookPath("lpstat")
	if err != nil {
		return nil, &Error{Op: op, Kind: ErrPrinterNotFound, Reason: "Printing is not installed on this computer.", Cause: err}
	}
	cmd := exec.CommandContext(ctx, path, "-e")
	cmd.Env = cupsEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(strings.ToLower(msg), "no destinations") {
			return []string{}, nil
		}
		return nil, &Error{Op: op, Kind: ErrPrinterNotFound, Reason: "The printing service is not running on this computer.", Cause: fmt.Errorf("lpstat -e: %s: %w", msg, err)}
	}
	queues := []string{}
	for _, l := range strings.Split(stdout.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			queues = append(queues, l)
		}
	}
	return queues, nil
}

// Queue is a CUPS printer as the letter's printer chooser shows it.
type Queue struct {
	Name string
	// Ready is true when the queue is enabled, accepting jobs and reports
	// no error: a letter sent now would print.
	Ready bool
	// Default is the computer's default printer (lpstat -d: the system
	// default, or the user's LPDEST or PRINTER).
	Default bool
	// Why says in plain words why a queue that is not Ready cannot print,
	// as Message would ("It has been stopped. It is not taking new jobs.").
	Why string
}

// Queues lists the CUPS queues with whether each can print now, for a
// printer chooser that should start on one that works. No queues is an
// empty list, not an error. A queue whose state cannot be read is listed
// as not ready.
func Queues(ctx context.Context) ([]Queue, error) {
	const op = "letter queues"
	names, err := Printers(ctx)
	if err != nil || len(names) == 0 {
		return []Queue{}, err
	}
	def := defaultQueue(ctx)
	ipp, err := connectIPP(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer ipp.close()
	out := make([]Queue, 0, len(names))
	for _, name := range names {
		q := Queue{Name: name, Default: name == def}
		a, err := ipp.printer(ctx, name)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s: %w", op, ctx.Err())
			}
			q.Why = "The computer could not ask the printer how it is."
			slog.Warn("letter queues: printer state unknown", "queue", name, "err", err)
		default:
			state, _ := a.int("printer-state")
			accepting, ok := a.bool("printer-is-accepting-jobs")
			q.Ready = state != printerStopped && (!ok || accepting) && !hasErrorReason(a.strings("printer-state-reasons"))
			if !q.Ready {
				q.Why = printerReason(a, accepting || !ok)
				if q.Why == "" {
					q.Why = "It has been stopped."
				}
			}
		}
		out = append(out, q)
	}
	return out, nil
}

// defaultQueue is the default destination lp would use, or "" if none.
func defaultQueue(ctx context.Context) string {
	path, err := exec.LookPath("lpstat")
	if err != nil {
		return ""
	}
	cmd := exec.CommandContext(ctx, path, "-d")
	cmd.Env = cupsEnv()
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	// "system default destination: Reception" (C locale); "no system
	// default destination" when there is none.
	line := strings.TrimSpace(string(out))
	if _, name, ok := strings.Cut(line, "default destination:"); ok {
		name = strings.TrimSpace(name)
		if i := strings.IndexByte(name, '/'); i >= 0 { // an instance, "Reception/duplex"
			name = name[:i]
		}
		return name
	}
	return ""
}

// connectIPP finds the scheduler lp uses (lpstat -H honours CUPS_SERVER
// and client.conf).
func connectIPP(ctx context.Context) (*ippClient, error) {
	path, err := exec.LookPath("lpstat")
	if err != nil {
		return nil, &Error{Op: opPrint, Kind: ErrPrinterNotFound, Reason: "Printing is not installed on this computer.", Cause: err}
	}
	cmd := exec.CommandContext(ctx, path, "-H")
	cmd.Env = cupsEnv()
	out, err := cmd.Output()
	server := strings.TrimSpace(string(out))
	if err != nil || server == "" {
		return nil, &Error{Op: opPrint, Kind: ErrPrinterNotFound, Reason: "The printing service is not running on this computer.", Cause: fmt.Errorf("lpstat -H: %w", err)}
	}
	return newIPPClient(server), nil
}

// cupsEnv runs CUPS commands in a fixed locale so their output can be
// read, keeping UTF-8 so titles pass through unchanged.
func cupsEnv() []string {
	return append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
}

// hasErrorReason reports a printer-state-reason of error severity, such
// as media-empty-error: the printer will not print until someone acts.
func hasErrorReason(reasons []string) bool {
	for _, r := range reasons {
		if strings.HasSuffix(r, "-error") {
			return true
		}
	}
	return false
}

// Plain words for the printer-state-reasons staff can fix.
var reasonWords = map[string]string{
	"media-empty":          "It is out of paper.",
	"media-needed":         "It needs paper.",
	"media-jam":            "The paper is stuck.",
	"toner-empty":          "It is out of toner.",
	"marker-supply-empty":  "It is out of ink or toner.",
	"door-open":            "A door or cover is open.",
	"cover-open":           "A door or cover is open.",
	"offline":              "It is offline.",
	"paused":               "It has been stopped.",
	"shutdown":             "It is switched off.",
	"connecting-to-device": "The computer cannot reach it.",
}

// printerReason says, for staff, why a printer cannot print.
func printerReason(a ippAttrs, accepting bool) string {
	var parts []string
	seen := map[string]bool{}
	for _, r := range a.strings("printer-state-reasons") {
		r = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(r, "-error"), "-warning"), "-report")
		if w, ok := reasonWords[r]; ok && !seen[w] {
			seen[w] = true
			parts = append(parts, w)
		}
	}
	if !accepting {
		parts = append(parts, "It is not taking new jobs.")
	}
	if msg := strings.TrimSpace(a.string("printer-state-message")); msg != "" {
		parts = append(parts, "The printer says: "+strings.TrimSuffix(msg, ".")+".")
	}
	return strings.Join(parts, " ")
}

// jobReason says why a job ended without printing.
func jobReason(a ippAttrs) string {
	for _, r := range a.strings("job-state-reasons") {
		switch r {
		case "job-canceled-by-user", "job-canceled-by-operator", "job-canceled-at-device":
			return "Someone cancelled it."
		case "aborted-by-system", "job-aborted-by-system":
			return "The printer gave up on it."
		case "document-format-error", "document-unprintable-error", "unsupported-document-format":
			return "The printer could not read it."
		}
	}
	if msg := strings.TrimSpace(a.string("job-printer-state-message")); msg != "" {
		return "The printer says: " + strings.TrimSuffix(msg, ".") + "."
	}
	return ""
}
