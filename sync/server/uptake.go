package server

import (
	"net/http"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// uptake answers GET ManageUptakePath?from=YYYY-MM&to=YYYY-MM with the
// practice's uptake figures, computed from the store on each request so
// they can never disagree with the tables they count.
func (h *handlers) uptake(w http.ResponseWriter, r *http.Request, _ managerCall) {
	q := r.URL.Query()
	from, err := store.ParseMonth(q.Get("from"))
	if err != nil {
		h.manageFailed(w, r, "uptake", err)
		return
	}
	to, err := store.ParseMonth(q.Get("to"))
	if err != nil {
		h.manageFailed(w, r, "uptake", err)
		return
	}
	months, err := h.st.Uptake(r.Context(), from, to)
	if err != nil {
		h.manageFailed(w, r, "uptake", err)
		return
	}
	p, err := h.st.Practice(r.Context())
	if err != nil {
		h.internal(w, r, "uptake: practice", err)
		return
	}
	out := gpsync.UptakeReport{Practice: p.Name, ODSCode: p.ODSCode, Made: h.clock().UTC(), Months: make([]gpsync.UptakeMonth, len(months))}
	for i, m := range months {
		out.Months[i] = gpsync.UptakeMonth{Month: m.Month, PatientListSize: m.PatientListSize,
			PatApptsEnbld: m.PatApptsEnbld, PatApptsUse: m.PatApptsUse, PatPrescEnbld: m.PatPrescEnbld, PatPrescUse: m.PatPrescUse,
			PatDetCodeRecEnbld: m.PatDetCodeRecEnbld, TotalPatEnbld: m.TotalPatEnbld, NewPatEnbld: m.NewPatEnbld, TotalUse: m.TotalUse,
			NewByVerification: m.NewByVerification, LettersPrinted: m.LettersPrinted, Booked: m.Booked, Cancelled: m.Cancelled,
			RepeatsOrdered: m.RepeatsOrdered, CheckIns: m.CheckIns, Lessons: m.Lessons}
	}
	writeJSON(w, http.StatusOK, out)
}
