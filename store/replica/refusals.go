package replica

import "gpkiosk/store"

// The rules themselves are store's pure functions, and the refusals store
// makes in its operations are store's too (store.Refuse...), so a device
// says the same thing offline as the server does. The last few are the
// device's own.

func refuse(r store.Reason, message string) error {
	return &store.RuleError{Reason: r, Message: message}
}

func errSlotGone() error            { return store.RefuseSlotGone() }
func errSlotTaken() error           { return store.RefuseSlotTaken() }
func errSlotHeld() error            { return store.RefuseSlotHeld() }
func errPatientNotFound() error     { return store.RefusePatientNotFound() }
func errAppointmentNotFound() error { return store.RefuseAppointmentNotFound() }
func errItemNotOnList() error       { return store.RefuseItemNotOnList() }
func errRequestNotFound() error     { return store.RefuseRequestNotFound() }
func errRequestDealtWith() error    { return store.RefuseRequestDealtWith() }

func errNeedDateOfBirth() error {
	return store.SentenceNeedDateOfBirth.Refuse(store.ReasonInvalidInput)
}

func errNotRecognised() error {
	return store.SentenceNotRecognised.Refuse(store.ReasonNotFound)
}
