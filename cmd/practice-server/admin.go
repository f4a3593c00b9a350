package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/skip2/go-qrcode"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// admin runs the practice manager's commands against the database file.
// They are safe while the server runs: SQLite serialises the writes.
func admin(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("practice-server "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "practice.db", "SQLite database `file`")
	role := fs.String("role", "", "kiosk or desktop (enrol); receptionist, clinician or manager (staff add)")
	name := fs.String("name", "", "a name for the device, e.g. \"Waiting room kiosk\" (enrol); the person's name (staff add)")
	username := fs.String("username", "", "the staff account's username (staff)")
	clinician := fs.Int64("clinician-id", 0, "the clinician a clinician's account belongs to, if any (staff add)")
	valid := fs.Duration("valid", 24*time.Hour, "how long the code stays valid (enrol)")
	server := fs.String("server", "", "the server `URL` devices should use, for the enrolment string (enrol)")
	cert := fs.String("cert", "", "the server's PEM certificate `file`, to pin it in the enrolment string (enrol)")
	tlsDir := fs.String("tls", "", "the `folder` the server was started with (--tls), to pin its certificate in the enrolment string (enrol)")
	qrFile := fs.String("qr", "", "also save the enrolment string's QR code as a PNG `file` (enrol)")
	device := fs.String("device", "", "the device ID to revoke (revoke)")
	clinicians := fs.String("clinicians", "", "on or off: may clinicians acknowledge and resolve help requests and problem reports (inbox)")
	from := fs.String("from", "", "the first day to count, YYYY-MM-DD (lessons; default: the earliest)")
	to := fs.String("to", "", "the last day to count, YYYY-MM-DD (lessons; default: the latest)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if cmd == "inbox" && *clinicians != "on" && *clinicians != "off" {
		fmt.Fprintln(stderr, "practice-server inbox: say --clinicians=on or --clinicians=off")
		return 2
	}
	var fromDay, toDay store.Date
	if cmd == "lessons" {
		var err error
		if fromDay, err = optionalDate("--from", *from); err == nil {
			toDay, err = optionalDate("--to", *to)
		}
		if err != nil {
			fmt.Fprintf(stderr, "practice-server lessons: %v\n", err)
			return 2
		}
	}
	if cmd == "enrol" {
		if err := checkEnrolFlags(*server, cert, *tlsDir, *qrFile); err != nil {
			fmt.Fprintf(stderr, "practice-server enrol: %v\n", err)
			return 2
		}
	}
	ctx := context.Background()
	if _, err := os.Stat(*db); err != nil {
		fmt.Fprintf(stderr, "practice-server %s: cannot open %s: %v\n", cmd, *db, err)
		return 1
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "practice-server %s: %v\n", cmd, err)
		return 1
	}
	defer st.Close()
	manager := store.Actor{Name: "manager:cli", Device: "server"}
	switch cmd {
	case "enrol":
		code, err := st.NewEnrolmentCode(ctx, manager, *role, *name, *valid)
		if err != nil {
			fmt.Fprintf(stderr, "practice-server enrol: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "Set-up code for a %s: %s (valid for %s, once)\n", *role, code, *valid)
		if *server != "" {
			s, err := enrolmentString(*server, code, *cert)
			if err != nil {
				fmt.Fprintf(stderr, "practice-server enrol: %v\n", err)
				return 1
			}
			fmt.Fprintf(stdout, "Enrolment string: %s\n", s)
			if err := showEnrolmentQR(stdout, s, *qrFile); err != nil {
				fmt.Fprintf(stderr, "practice-server enrol: %v\n", err)
				return 1
			}
		}
	case "devices":
		devs, err := st.Devices(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "practice-server devices: %v\n", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tNAME\tENROLLED\tLAST SYNC\tSTATE")
		for _, d := range devs {
			state, last := "active", "never"
			if !d.RevokedAt.IsZero() {
				state = "revoked " + d.RevokedAt.Format(time.DateTime)
			}
			if !d.LastPullAt.IsZero() {
				last = d.LastPullAt.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Role, d.Name, d.EnrolledAt.Format(time.DateTime), last, state)
		}
		tw.Flush()
	case "lessons":
		counts, err := st.LessonCounts(ctx, fromDay, toDay)
		if err != nil {
			fmt.Fprintf(stderr, "practice-server lessons: %v\n", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LESSON\tMONTH\tDEVICE\tCOUNT")
		for _, c := range counts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", c.Lesson, c.Month, c.DeviceName, c.Count)
		}
		tw.Flush()
	case "revoke":
		if err := st.RevokeDevice(ctx, manager, *device); err != nil {
			fmt.Fprintf(stderr, "practice-server revoke: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "Device %s revoked: it is refused from its next request.\n", *device)
	case "kiosk-pin":
		pin, err := readSecret(stdin, stderr, "Type the new kiosk PIN (6 to 12 digits) and press Enter:")
		if err == nil {
			err = st.SetKioskExitPIN(ctx, strings.TrimSpace(pin), manager)
		}
		if err != nil {
			fmt.Fprintf(stderr, "practice-server kiosk-pin: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, "Kiosk PIN set. Each kiosk takes it at its next sync.")
	case "inbox":
		settings, err := st.Settings(ctx)
		if err == nil {
			settings.CliniciansHandleAlerts = *clinicians == "on"
			err = st.UpdateSettings(ctx, manager, settings)
		}
		if err != nil {
			fmt.Fprintf(stderr, "practice-server inbox: %v\n", err)
			return 1
		}
		who := "Reception and the practice manager"
		if *clinicians == "on" {
			who = "Reception, clinicians and the practice manager"
		}
		fmt.Fprintf(stdout, "%s can now acknowledge and resolve help requests and problem reports. Desktops take it at their next sync.\n", who)
	case "staff add":
		pw, err := readSecret(stdin, stderr, staffPasswordPrompt)
		if err == nil {
			_, err = st.AddStaff(ctx, manager, store.NewStaff{Username: *username, DisplayName: *name, Role: *role, Password: pw, ClinicianID: *clinician})
		}
		if err != nil {
			fmt.Fprintf(stderr, "practice-server staff add: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "Staff account %s added. Desktops take it at their next sync.\n", *username)
	case "staff list":
		members, err := st.StaffMembers(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "practice-server staff list: %v\n", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tNAME\tROLE\tPASSWORD\tSTATE")
		for _, m := range members {
			state, pw := "active", "set"
			if !m.Active {
				state = "disabled"
			}
			if !m.HasPassword {
				pw = "none"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Username, m.DisplayName, m.Role, pw, state)
		}
		tw.Flush()
	case "staff disable", "staff enable":
		active := cmd == "staff enable"
		if err := st.SetStaffActive(ctx, manager, *username, active); err != nil {
			fmt.Fprintf(stderr, "practice-server %s: %v\n", cmd, err)
			return 1
		}
		if active {
			fmt.Fprintf(stdout, "Staff account %s enabled.\n", *username)
		} else {
			fmt.Fprintf(stdout, "Staff account %s disabled: desktops refuse it after their next sync, and the server refuses anything sent in its name.\n", *username)
		}
	case "staff password":
		pw, err := readSecret(stdin, stderr, staffPasswordPrompt)
		if err == nil {
			err = st.SetStaffPassword(ctx, manager, *username, pw)
		}
		if err != nil {
			fmt.Fprintf(stderr, "practice-server staff password: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "Password changed for %s. Desktops take it at their next sync.\n", *username)
	}
	return 0
}

// optionalDate reads a YYYY-MM-DD flag; "" is the zero Date (no bound).
func optionalDate(flagName, s string) (store.Date, error) {
	if s == "" {
		return store.Date{}, nil
	}
	d, err := store.ParseDate(s)
	if err != nil {
		return store.Date{}, fmt.Errorf("%s %q: %w", flagName, s, err)
	}
	return d, nil
}

// isStaffCommand: the staff subcommands, as admin's cmd.
func isStaffCommand(cmd string) bool {
	switch cmd {
	case "staff add", "staff list", "staff disable", "staff enable", "staff password":
		return true
	}
	return false
}

const staffPasswordPrompt = "Type the password (at least 12 characters, not only numbers) and press Enter:"

// readSecret reads one line from standard input, not a flag, so a PIN or
// password stays out of shell history and the process list.
func readSecret(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	fmt.Fprintln(stderr, prompt)
	line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// checkEnrolFlags checks enrol's flags before a code is made, so a mistake
// never uses one up. --tls names the certificate in the server's folder:
// it sets *cert. A pin or a QR code needs --server, the address devices
// use, which only the practice knows.
func checkEnrolFlags(server string, cert *string, tlsDir, qrFile string) error {
	if tlsDir != "" {
		if *cert != "" {
			return errors.New("--tls or --cert, not both")
		}
		*cert, _ = tlsFiles(tlsDir)
		if _, err := os.Stat(*cert); err != nil {
			return fmt.Errorf("no server certificate in %s yet: start the server once with --tls %s, then make the code (%w)", tlsDir, tlsDir, err)
		}
	}
	if server == "" && (*cert != "" || qrFile != "") {
		return errors.New("say which address devices should use with --server, for example --server https://surgery-server:8400")
	}
	if *cert != "" && !strings.HasPrefix(server, "https://") {
		return fmt.Errorf("--server %q: a server with a certificate is reached at an https:// address", server)
	}
	return nil
}

// showEnrolmentQR prints the enrolment string's QR code for scanning from
// the screen and, if pngFile is set, saves it as a PNG (readable by this
// user only: until it is used, the code in it sets up a device).
func showEnrolmentQR(stdout io.Writer, s, pngFile string) error {
	qr, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("make the QR code: %w", err)
	}
	// Light modules are drawn, for a terminal with a dark background.
	fmt.Fprintf(stdout, "Scan this at the device's set-up screen:\n%s", qr.ToSmallString(false))
	if pngFile == "" {
		return nil
	}
	png, err := qr.PNG(512)
	if err != nil {
		return fmt.Errorf("make the QR code: %w", err)
	}
	if err := os.WriteFile(pngFile, png, 0o600); err != nil {
		return fmt.Errorf("save the QR code: %w", err)
	}
	fmt.Fprintf(stdout, "QR code saved to %s\n", pngFile)
	return nil
}

// enrolmentString is what a set-up QR code carries (docs/sync-protocol.md).
func enrolmentString(server, code, certFile string) (string, error) {
	e := gpsync.Enrolment{Server: server, Code: code}
	if certFile != "" {
		pin, err := certPin(certFile)
		if err != nil {
			return "", err
		}
		e.Pin = pin
	}
	// Reading it back checks it as a device will.
	if _, err := gpsync.ParseEnrolment(e.String()); err != nil {
		return "", fmt.Errorf("--server %q: %w", server, err)
	}
	return e.String(), nil
}

// certPin is "sha256:" and the hex SHA-256 of the certificate's DER.
func certPin(certFile string) (string, error) {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return "", fmt.Errorf("read certificate: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return "", errors.New("read certificate: not a PEM certificate")
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return "", fmt.Errorf("read certificate: %w", err)
	}
	sum := sha256.Sum256(block.Bytes)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
