package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// The change feed each device receives, byte for byte, over a small
// practice that exercises every entity and every scoping rule: two kiosks
// (each seeing only its own leases), a desktop, registrations for a
// patient, a proxy and a revoked letter, a letter not enabled for kiosks,
// repeat requests decided, handed out, seen and cancelled, help requests
// and problem reports handled, appointments booked, cancelled, checked in
// and missed, slots past, embargoed, reception-only and deleted, settings
// changed. The clock is fixed; only random device IDs and password
// verifiers are replaced by names before comparing.
//
// GPKIOSK_UPDATE_GOLDEN=1 go test ./sync/server -run TestFeedGolden
// rewrites the files; any change to them is a change to what devices see.
func TestFeedGolden(t *testing.T) {
	g := newGoldenPractice(t)
	got := g.run(t)
	for name, body := range got {
		path := filepath.Join("testdata", "feed_"+name+".golden")
		if os.Getenv("GPKIOSK_UPDATE_GOLDEN") != "" {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (GPKIOSK_UPDATE_GOLDEN=1 writes it)", err)
		}
		if !bytes.Equal(got[name], want) {
			gl, wl := bytes.Split(body, []byte("\n")), bytes.Split(want, []byte("\n"))
			for i := range max(len(gl), len(wl)) {
				var a, b []byte
				if i < len(gl) {
					a = gl[i]
				}
				if i < len(wl) {
					b = wl[i]
				}
				if !bytes.Equal(a, b) {
					t.Fatalf("%s: line %d differs:\n got: %s\nwant: %s", path, i+1, a, b)
				}
			}
		}
	}
}

type goldenPractice struct {
	*practice
	loc                  *time.Location
	kioskA, kioskB, desk gpsync.EnrolResponse
	staff                map[string]int64
	slots                map[string]int64 // "mon 08:00", "tue 09:10", ...
	pts                  map[string]int64
	repeats              map[string]int64
	cursors              map[string]int64
	out                  map[string]*bytes.Buffer
	opN                  int
}

func newGoldenPractice(t *testing.T) *goldenPractice {
	t.Helper()
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	g := &goldenPractice{practice: &practice{now: &atomic.Int64{}, accounts: map[int64]string{}, devices: map[string]gpsync.EnrolResponse{}, staffKeys: map[int64][]byte{},
		passwords: map[string]string{"reception": "front-desk-2026", "doctor": "prescribe-2026", "manager": "manage-it-2026", "leaver": "gone-away-now"}}, loc: loc,
		staff: map[string]int64{}, slots: map[string]int64{}, pts: map[string]int64{}, repeats: map[string]int64{},
		cursors: map[string]int64{}, out: map[string]*bytes.Buffer{}}
	mon := store.Date{Year: 2026, Month: time.June, Day: 8}
	g.now.Store(mon.At(7, 30, loc).Unix())
	clock := func() time.Time { return time.Unix(g.now.Load(), 0).UTC() }
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "golden.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g.st = st
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "Golden Surgery", Address: "1 High Street", Postcode: "ZZ1 1ZZ",
		Phone: "01632 960000"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	err = st.Load(ctx, func(l *store.Loader) error {
		gp, err := l.AddClinician(store.Clinician{DisplayName: "Dr Ada Okafor", Role: store.RoleGP, OnlineBookable: true})
		if err != nil {
			return err
		}
		nurse, err := l.AddClinician(store.Clinician{DisplayName: "Nurse Ben Hale", Role: store.RoleNurse, OnlineBookable: true})
		if err != nil {
			return err
		}
		hca, err := l.AddClinician(store.Clinician{DisplayName: "Cal Reed", Role: store.RoleHCA})
		if err != nil {
			return err
		}
		routine, err := l.AddSlotType(store.SlotType{Code: "gp10", Name: "GP appointment (10 minutes)", Minutes: 10, ClinicianRole: store.RoleGP,
			OnlineBookable: true})
		if err != nil {
			return err
		}
		urgent, err := l.AddSlotType(store.SlotType{Code: "gpurg", Name: "GP urgent", Minutes: 10, ClinicianRole: store.RoleGP, Urgent: true})
		if err != nil {
			return err
		}
		smear, err := l.AddSlotType(store.SlotType{Code: "smear", Name: "Cervical screening", Minutes: 15, ClinicianRole: store.RoleNurse,
			OnlineBookable: true, Eligibility: store.SlotEligibility{Sex: store.SexFemale, MinAge: 25, MaxAge: 64}})
		if err != nil {
			return err
		}
		bloods, err := l.AddSlotType(store.SlotType{Code: "bloods", Name: "Blood test", Minutes: 10, ClinicianRole: store.RoleHCA,
			Eligibility: store.SlotEligibility{MinAge: 18}})
		if err != nil {
			return err
		}
		session := func(label string, clinician int64, day store.Date, from, to int, every int, slot func(m int) store.NewSlot) error {
			s := store.NewSession{ClinicianID: clinician, Day: day, StartsAt: day.At(from/100, from%100, loc), EndsAt: day.At(to/100, to%100, loc), Room: "1"}
			for m := 0; s.StartsAt.Add(time.Duration(m+every)*time.Minute).Compare(s.EndsAt) <= 0; m += every {
				sl := slot(m)
				sl.StartsAt = s.StartsAt.Add(time.Duration(m) * time.Minute)
				sl.EndsAt = sl.StartsAt.Add(time.Duration(every) * time.Minute)
				s.Slots = append(s.Slots, sl)
			}
			_, err := l.AddSession(s)
			return err
		}
		gpSlot := func(m int) store.NewSlot {
			return store.NewSlot{SlotTypeID: routine, OnlineBookable: true}
		}
		if err := session("mon", gp, mon, 700, 900, 10, func(m int) store.NewSlot {
			if m >= 110 {
				return store.NewSlot{SlotTypeID: urgent, ReceptionOnly: true}
			}
			return gpSlot(m)
		}); err != nil {
			return err
		}
		tue := mon.AddDays(1)
		if err := session("tue", gp, tue, 900, 1000, 10, func(m int) store.NewSlot {
			if m == 50 {
				return store.NewSlot{SlotTypeID: routine, OnlineBookable: true, ReleaseAt: tue.At(8, 0, loc)}
			}
			return gpSlot(m)
		}); err != nil {
			return err
		}
		wed := mon.AddDays(2)
		if err := session("wed", nurse, wed, 900, 1000, 15, func(int) store.NewSlot {
			return store.NewSlot{SlotTypeID: smear, OnlineBookable: true}
		}); err != nil {
			return err
		}
		if err := session("wed hca", hca, wed, 1000, 1030, 10, func(int) store.NewSlot {
			return store.NewSlot{SlotTypeID: bloods}
		}); err != nil {
			return err
		}
		patient := func(label, nine, given, family string, sex store.Sex, born store.Date, unsuitable bool) error {
			nhs, ok := store.NHSNumberFromNine(nine)
			if !ok {
				return fmt.Errorf("%s cannot start an NHS number", nine)
			}
			id, err := l.AddPatient(store.NewPatient{NHSNumber: string(nhs), GivenName: given, FamilyName: family, Sex: sex, DateOfBirth: born,
				Address: "2 Mill Lane, Meadowbank", Postcode: "ZZ1 2AB", Phone: "01632 960123", OnlineOrderingUnsuitable: unsuitable})
			g.pts[label] = id
			return err
		}
		for _, p := range []struct {
			label, nine, given, family string
			sex                        store.Sex
			born                       store.Date
			unsuitable                 bool
		}{
			{"alice", "943476591", "Alice", "Archer", store.SexFemale, store.Date{Year: 1970, Month: time.March, Day: 14}, false},
			{"bob", "943476592", "Bob", "Baker", store.SexMale, store.Date{Year: 1958, Month: time.November, Day: 2}, false},
			{"carol", "943476593", "Carol", "Cole", store.SexFemale, store.Date{Year: 1992, Month: time.July, Day: 30}, false},
			{"dan", "943476594", "Dan", "Dale", store.SexOther, store.Date{Year: 2018, Month: time.January, Day: 9}, true},
			{"eve", "943476595", "Eve", "Evans", store.SexFemale, store.Date{Year: 1981, Month: time.May, Day: 5}, false},
		} {
			if err := patient(p.label, p.nine, p.given, p.family, p.sex, p.born, p.unsuitable); err != nil {
				return err
			}
		}
		started := mon.At(9, 0, loc).AddDate(-2, 0, 0)
		for _, r := range []struct {
			label, patient, name string
			review               store.Date
			issued               time.Time
			active               bool
		}{
			{"amlo", "alice", "Amlodipine", store.Date{Year: 2026, Month: time.December, Day: 1}, mon.At(10, 0, loc).AddDate(0, -1, 0), true},
			{"rami", "alice", "Ramipril", store.Date{}, time.Time{}, true},
			{"old", "alice", "Simvastatin", store.Date{}, mon.At(10, 0, loc).AddDate(-1, 0, 0), false},
			{"metf", "bob", "Metformin", store.Date{}, mon.At(10, 0, loc).AddDate(0, 0, -20), true},
		} {
			id, err := l.AddRepeat(store.NewRepeat{PatientID: g.pts[r.patient], Name: r.name, Strength: "5 mg", Form: "tablets",
				Dosage: "One a day", Quantity: "28 tablets", Active: r.active, ReviewDue: r.review, LastIssuedAt: r.issued, StartedAt: started})
			if err != nil {
				return err
			}
			g.repeats[r.label] = id
		}
		verified := mon.At(7, 0, loc).AddDate(0, 0, -7)
		for _, r := range []struct {
			patient, method, account string
			kiosk, issued            bool
		}{
			{"alice", store.VerifyPhotoIDAndAddress, "ACDE-FGHJ-KMNP", true, true},
			{"bob", store.VerifyVouchingWithInfo, "QRTU-VWXY-3467", true, false},
			{"eve", store.VerifyVouching, "CDEF-GHJK-MNPQ", false, true},
		} {
			reg := store.NewRegistration{PatientID: g.pts[r.patient], VerificationMethod: r.method, VerifiedAt: verified, CoercionConsidered: true,
				ServiceAppointments: true, ServicePrescriptions: r.patient != "eve", RecordAccess: store.RecordAccessNone, KioskEnabled: r.kiosk,
				AccountID: r.account, LinkageKeyHash: fmt.Sprintf("%064d", g.pts[r.patient])}
			if r.issued {
				reg.LetterIssuedAt, reg.LetterExpiresAt = verified, verified.Add(store.LetterValidity)
			}
			if _, err := l.AddRegistration(reg); err != nil {
				return err
			}
			g.accounts[g.pts[r.patient]] = r.account
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WriteTx(ctx, "golden: slots by time", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, starts_at FROM slots")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, at int64
			if err := rows.Scan(&id, &at); err != nil {
				return err
			}
			g.slots[time.Unix(at, 0).In(loc).Format("Mon 15:04")] = id
		}
		return rows.Err()
	}); err != nil {
		t.Fatal(err)
	}
	manager := store.Actor{Name: "manager:golden", Device: "golden"}
	for _, s := range []store.NewStaff{
		{Username: "reception", DisplayName: "Rita Desk", Role: store.StaffReceptionist, Password: "front-desk-2026"},
		{Username: "doctor", DisplayName: "Dr Ada Okafor", Role: store.StaffClinician, Password: "prescribe-2026", ClinicianID: 1},
		{Username: "manager", DisplayName: "Mo Manager", Role: store.StaffManager, Password: "manage-it-2026"},
		{Username: "leaver", DisplayName: "Left Last Month", Role: store.StaffReceptionist, Password: "gone-away-now"},
	} {
		id, err := st.AddStaff(ctx, manager, s)
		if err != nil {
			t.Fatal(err)
		}
		g.staff[s.Username] = id
	}
	if err := st.SetStaffActive(ctx, manager, "leaver", false); err != nil {
		t.Fatal(err)
	}
	if err := st.SetKioskExitPIN(ctx, "482915", manager); err != nil {
		t.Fatal(err)
	}
	g.srv = httptest.NewServer(New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(clock), WithRateLimits(1000, 1000, 1000, 1000)))
	t.Cleanup(g.srv.Close)
	return g
}

// pull reads the feed of device name from after (-1: from where it last
// stopped) in pages of limit, recording each page's body as sent.
func (g *goldenPractice) pull(t *testing.T, name string, dev gpsync.EnrolResponse, after int64, limit int) {
	t.Helper()
	if after < 0 {
		after = g.cursors[name]
	}
	buf := g.out[name]
	if buf == nil {
		buf = &bytes.Buffer{}
		g.out[name] = buf
	}
	fmt.Fprintf(buf, "# %s after=%d limit=%d\n", time.Unix(g.now.Load(), 0).In(g.loc).Format(time.DateTime), after, limit)
	for {
		r := g.do(t, "GET", fmt.Sprintf("/v1/changes?after=%d&limit=%d", after, limit), dev.Token, nil)
		if r.status != 200 {
			t.Fatalf("%s changes: %d %s", name, r.status, r.body)
		}
		buf.Write(bytes.TrimRight(r.body, "\n"))
		buf.WriteByte('\n')
		var page gpsync.ChangesResponse
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		after = page.Cursor
		if !page.More {
			g.cursors[name] = after
			return
		}
	}
}

func (g *goldenPractice) pullAll(t *testing.T, after int64, limit int) {
	t.Helper()
	g.pull(t, "kioskB", g.kioskB, after, limit)
	g.pull(t, "kioskA", g.kioskA, after, limit)
	g.pull(t, "desktop", g.desk, after, limit)
}

func (g *goldenPractice) apply(t *testing.T, dev gpsync.EnrolResponse, staff string, kind string, payload any) gpsync.OpResult {
	t.Helper()
	g.opN++
	op := newOp(t, g.opN, kind, payload)
	op.StaffID = g.staff[staff]
	res := g.push(t, dev.Token, op)[0]
	if res.Status != gpsync.OpApplied {
		t.Fatalf("%s: %+v", kind, res)
	}
	return res
}

func (g *goldenPractice) run(t *testing.T) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	g.kioskA, g.kioskB, g.desk = g.enrol(t, "kiosk"), g.enrol(t, "kiosk"), g.enrol(t, "desktop")
	g.pull(t, "kioskB", g.kioskB, 0, 1000) // B's leases come first
	g.pull(t, "kioskA", g.kioskA, 0, 1000)
	g.pull(t, "desktop", g.desk, 0, 1000)

	mon := store.Date{Year: 2026, Month: time.June, Day: 8}
	tue := mon.AddDays(1)
	// A child's parent linked as a proxy and registered in one batch.
	link := gpsync.LinkProxyPayload{PatientID: g.pts["dan"], ProxyName: "Sam Dale", ProxyDateOfBirth: "1985-04-20", Relationship: "parent",
		LegalBasis: store.BasisParentalResponsibility, ServiceAppointments: true, ProxyVerification: store.VerifyPhotoIDAndAddress,
		VerifiedAt: opCreated, SafeguardingConsidered: true, CoercionConsidered: true}
	var linked gpsync.LinkProxyResult
	wantApplied(t, "link", g.apply(t, g.desk, "reception", gpsync.OpLinkProxy, link), &linked)
	reg := func(patient, account string) gpsync.RegisterOnlinePayload {
		return gpsync.RegisterOnlinePayload{PatientID: g.pts[patient], VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: opCreated,
			CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true, RecordAccess: store.RecordAccessSummary,
			KioskEnabled: true, AccountID: account, LinkageKeyHash: fmt.Sprintf("%064x", len(account)*g.opN),
			LetterIssuedAt: opCreated, LetterExpiresAt: opCreated.Add(store.LetterValidity)}
	}
	proxyReg := reg("dan", "HJKM-NPQR-TUVW")
	proxyReg.ProxyID = linked.ProxyID
	g.apply(t, g.desk, "reception", gpsync.OpRegisterOnline, proxyReg)
	// Carol registered, then again: her first letter is revoked.
	g.apply(t, g.desk, "manager", gpsync.OpRegisterOnline, reg("carol", "WXY3-4679-ACDE"))
	again := reg("carol", "FGHJ-KMNP-QRTU")
	again.ServiceAppointments = false
	g.apply(t, g.desk, "reception", gpsync.OpRegisterOnline, again)

	// Alice books a slot kiosk A holds, with a slip to check in by; Bob
	// books and cancels, then books today; reception books Carol today.
	code, err := store.NewCheckInCode()
	if err != nil {
		t.Fatal(err)
	}
	var alices gpsync.BookResult
	wantApplied(t, "alice books", g.apply(t, g.kioskA, "", gpsync.OpBook, gpsync.BookPayload{SlotID: g.slots["Tue 09:20"], PatientID: g.pts["alice"],
		CheckInCode: code}), &alices)
	var bobs gpsync.BookResult
	wantApplied(t, "bob books", g.apply(t, g.kioskA, "", gpsync.OpBook, gpsync.BookPayload{SlotID: g.slots["Tue 09:40"], PatientID: g.pts["bob"]}), &bobs)
	g.apply(t, g.kioskA, "", gpsync.OpCancelAppointment, gpsync.CancelAppointmentPayload{AppointmentID: bobs.AppointmentID, PatientID: g.pts["bob"]})
	var bobsToday, carols gpsync.BookResult
	wantApplied(t, "bob books today", g.apply(t, g.kioskA, "", gpsync.OpBook, gpsync.BookPayload{SlotID: g.slots["Mon 08:40"], PatientID: g.pts["bob"]}), &bobsToday)
	wantApplied(t, "carol booked", g.apply(t, g.desk, "reception", gpsync.OpBook, gpsync.BookPayload{SlotID: g.slots["Mon 08:30"], PatientID: g.pts["carol"]}), &carols)

	// Repeats: ordered, decided, seen, handed out; another cancelled.
	var ordered gpsync.OrderRepeatsResult
	wantApplied(t, "order", g.apply(t, g.kioskA, "", gpsync.OpOrderRepeats, gpsync.OrderRepeatsPayload{PatientID: g.pts["alice"],
		ItemIDs: []int64{g.repeats["amlo"], g.repeats["rami"]}, Note: "Going away on Friday"}), &ordered)
	g.apply(t, g.desk, "doctor", gpsync.OpDecideRepeats, gpsync.DecideRepeatsPayload{RequestID: ordered.RequestID, Items: []gpsync.ItemDecision{
		{RepeatItemID: g.repeats["amlo"], Approve: true}, {RepeatItemID: g.repeats["rami"], ReasonCode: gpsync.DeclineOther, Reason: "Dose changed at clinic"}}})
	g.apply(t, g.kioskA, "", gpsync.OpAcknowledgeOutcome, gpsync.AcknowledgeOutcomePayload{PatientID: g.pts["alice"], RequestID: ordered.RequestID})
	g.apply(t, g.desk, "reception", gpsync.OpHandOutRepeats, gpsync.HandOutRepeatsPayload{RequestID: ordered.RequestID, How: gpsync.HandedOutPharmacy})
	var bobOrder gpsync.OrderRepeatsResult
	wantApplied(t, "bob orders", g.apply(t, g.kioskA, "", gpsync.OpOrderRepeats, gpsync.OrderRepeatsPayload{PatientID: g.pts["bob"],
		ItemIDs: []int64{g.repeats["metf"]}}), &bobOrder)
	g.apply(t, g.kioskA, "", gpsync.OpCancelRequest, gpsync.CancelRequestPayload{PatientID: g.pts["bob"], RequestID: bobOrder.RequestID})

	// The inbox: one help request acknowledged, one problem resolved, one
	// of each left open.
	var help, problem gpsync.CreatedResult
	wantApplied(t, "help", g.apply(t, g.kioskA, "", gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "hearing loop"}), &help)
	wantApplied(t, "problem", g.apply(t, g.kioskA, "", gpsync.OpReportProblem, gpsync.ReportProblemPayload{Category: "printer",
		Description: "No slip came out"}), &problem)
	g.apply(t, g.kioskB, "", gpsync.OpAskForHelp, gpsync.AskForHelpPayload{})
	g.apply(t, g.desk, "reception", gpsync.OpReportProblem, gpsync.ReportProblemPayload{Category: "screen", Description: "Flickers"})
	g.apply(t, g.desk, "reception", gpsync.OpHandleAlert, gpsync.HandleAlertPayload{Entity: gpsync.EntityHelpRequest, ID: help.ID,
		Action: gpsync.AlertAcknowledged})
	g.apply(t, g.desk, "manager", gpsync.OpHandleAlert, gpsync.HandleAlertPayload{Entity: gpsync.EntityProblemReport, ID: problem.ID,
		Action: gpsync.AlertResolved})
	g.apply(t, g.kioskA, "", gpsync.OpCountLesson, gpsync.CountLessonPayload{Lesson: "book", Day: mon.String()})
	g.pullAll(t, -1, 1000)

	// A slot taken out of the book, and the practice's settings changed.
	if err := g.st.WriteTx(ctx, "golden: delete a slot", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM slot_leases WHERE slot_id = ?", g.slots["Wed 09:45"]); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM slots WHERE id = ?", g.slots["Wed 09:45"])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	settings, err := g.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	settings.CliniciansHandleAlerts, settings.DNASuspendCount = true, 1
	if err := g.st.UpdateSettings(ctx, store.SystemActor(), settings); err != nil {
		t.Fatal(err)
	}
	g.pullAll(t, -1, 3)

	// Tuesday morning: Monday's slots are past; Carol and Bob missed
	// theirs (Bob's, booked at a kiosk, suspends his online booking) and
	// Alice checks in with her slip.
	g.now.Store(tue.At(9, 5, g.loc).Unix())
	for _, a := range []int64{carols.AppointmentID, bobsToday.AppointmentID} {
		g.apply(t, g.desk, "reception", gpsync.OpRecordOutcome, gpsync.RecordOutcomePayload{AppointmentID: a, Status: store.StatusDidNotAttend})
	}
	if r := g.do(t, "POST", "/v1/checkin", g.kioskA.Token, gpsync.CheckInRequest{Code: code}); r.status != 200 || !bytes.Contains(r.body, []byte(`"checkedIn":true`)) {
		t.Fatalf("check in: %d %s", r.status, r.body)
	}
	g.pullAll(t, -1, 1000)

	// Everything again from the start, in one page and in small ones.
	g.pullAll(t, 0, 1000)
	g.pullAll(t, 0, 7)

	// Random parts of what was sent, named.
	names := map[string]string{g.kioskA.DeviceID: "<kiosk A>", g.kioskB.DeviceID: "<kiosk B>", g.desk.DeviceID: "<desktop>"}
	argon := regexp.MustCompile(`\$argon2id\$[^"]*`)
	check := regexp.MustCompile(`\$argon2id-sha256\$[^"]*`)
	out := map[string][]byte{}
	for name, buf := range g.out {
		b := buf.Bytes()
		for id, n := range names {
			b = bytes.ReplaceAll(b, []byte(id), []byte(n))
		}
		b = check.ReplaceAll(b, []byte("<argon2id sign-in check>"))
		out[name] = argon.ReplaceAll(b, []byte("<argon2id verifier>"))
	}
	return out
}
