package text

import "gpkiosk/store"

// The staff desktop's words. Staff read them at the front desk with a
// patient in front of them: short, plain, and saying what to do next.
const (
	StaffSignInTitle      Key = "staff.signin.title"
	StaffUsername         Key = "staff.signin.username"
	StaffPassword         Key = "staff.signin.password"
	StaffSignIn           Key = "staff.signin.button"
	StaffCheckingPassword Key = "staff.signin.checking"
	StaffSignOut          Key = "staff.signout"
	StaffSignedInAs       Key = "staff.signed_in_as"
	StaffSignedOutIdle    Key = "staff.signed_out_idle"
	StaffSessionOver      Key = "staff.session_over"
	StaffOffline          Key = "staff.offline"
	StaffPending          Key = "staff.pending"
	StaffPendingOne       Key = "staff.pending_one"
	StaffRoleReceptionist Key = "staff.role.receptionist"
	StaffRoleClinician    Key = "staff.role.clinician"
	StaffRoleManager      Key = "staff.role.manager"
	StaffSomethingWrong   Key = "staff.something_wrong"
	StaffNotSynced        Key = "staff.not_synced"

	FindTitle        Key = "staff.find.title"
	FindNHSNumber    Key = "staff.find.nhs_number"
	FindOr           Key = "staff.find.or"
	FindSurname      Key = "staff.find.surname"
	FindDOB          Key = "staff.find.dob"
	FindDOBHint      Key = "staff.find.dob_hint"
	FindButton       Key = "staff.find.button"
	FindNone         Key = "staff.find.none"
	FindBadDOB       Key = "staff.find.bad_dob"
	FindResult       Key = "staff.find.result"
	FindResultsCount Key = "staff.find.count"
	FindAnother      Key = "staff.find.another"

	RecordBorn            Key = "staff.record.born"
	RecordNHSNumber       Key = "staff.record.nhs"
	RecordAddress         Key = "staff.record.address"
	RecordRegistrations   Key = "staff.record.registrations"
	RecordNoRegistrations Key = "staff.record.no_registrations"
	RecordProxies         Key = "staff.record.proxies"
	RecordNoProxies       Key = "staff.record.no_proxies"
	RecordOwnLetter       Key = "staff.record.own_letter"
	RecordProxyLetter     Key = "staff.record.proxy_letter"
	RecordActiveUntil     Key = "staff.record.active_until"
	RecordReplaced        Key = "staff.record.replaced"
	RecordExpired         Key = "staff.record.expired"
	RecordWaiting         Key = "staff.record.waiting"
	RecordSending         Key = "staff.record.sending"
	RecordActive          Key = "staff.record.active"
	RecordTooYoung        Key = "staff.record.too_young"
	RecordRegister        Key = "staff.record.register"
	RecordNewLetter       Key = "staff.record.new_letter"
	RecordProxyAccess     Key = "staff.record.proxy_access"
	RecordProxyRegister   Key = "staff.record.proxy_register"
	RecordProxyLine       Key = "staff.record.proxy_line"
	RecordViewOnly        Key = "staff.record.view_only"
	RecordServicesAppts   Key = "staff.record.services.appointments"
	RecordServicesPresc   Key = "staff.record.services.prescriptions"
	RecordServicesRecord  Key = "staff.record.services.record"
	RecordServicesKiosk   Key = "staff.record.services.kiosk"

	WizardStep          Key = "staff.wizard.step"
	WizardTitle         Key = "staff.wizard.title"
	WizardProxyTitle    Key = "staff.wizard.proxy_title"
	WizardNext          Key = "staff.wizard.next"
	WizardBack          Key = "staff.wizard.back"
	WizardCancel        Key = "staff.wizard.cancel"
	WizardIDQuestion    Key = "staff.wizard.id.question"
	WizardIDPhoto       Key = "staff.wizard.id.photo"
	WizardIDVouch       Key = "staff.wizard.id.vouch"
	WizardIDVouchInfo   Key = "staff.wizard.id.vouch_info"
	WizardIDChoose      Key = "staff.wizard.id.choose"
	WizardIDCheckedBy   Key = "staff.wizard.id.checked_by"
	WizardQuestionsHint Key = "staff.wizard.questions.hint"
	WizardQuestion1     Key = "staff.wizard.questions.1"
	WizardQuestion2     Key = "staff.wizard.questions.2"
	WizardQuestion3     Key = "staff.wizard.questions.3"
	WizardCoercionAsk   Key = "staff.wizard.coercion.ask"
	WizardCoercionNo    Key = "staff.wizard.coercion.no"
	WizardCoercionYes   Key = "staff.wizard.coercion.yes"
	WizardCoercionNeed  Key = "staff.wizard.coercion.need"
	WizardCoercionStop  Key = "staff.wizard.coercion.stop"
	WizardServices      Key = "staff.wizard.services"
	WizardAppointments  Key = "staff.wizard.appointments"
	WizardPrescriptions Key = "staff.wizard.prescriptions"
	WizardRecordAccess  Key = "staff.wizard.record"
	WizardRecordNone    Key = "staff.wizard.record.none"
	WizardRecordSummary Key = "staff.wizard.record.summary"
	WizardRecordFull    Key = "staff.wizard.record.detailed"
	WizardRecordVouch   Key = "staff.wizard.record.vouch_note"
	WizardKiosk         Key = "staff.wizard.kiosk"
	WizardLetter        Key = "staff.wizard.letter"
	WizardLetterFor     Key = "staff.wizard.letter_for"
	WizardReissueWarn   Key = "staff.wizard.reissue_warn"
	WizardPrinter       Key = "staff.wizard.printer"
	WizardNoPrinters    Key = "staff.wizard.no_printers"
	WizardPrint         Key = "staff.wizard.print"
	WizardPrinting      Key = "staff.wizard.printing"
	WizardSaveTo        Key = "staff.wizard.save_to"
	WizardSave          Key = "staff.wizard.save"
	WizardPrinted       Key = "staff.wizard.printed"
	WizardSaved         Key = "staff.wizard.saved"
	WizardUseBy         Key = "staff.wizard.use_by"
	WizardOldStops      Key = "staff.wizard.old_stops"
	WizardNotIssued     Key = "staff.wizard.not_issued"
	WizardDone          Key = "staff.wizard.done"
	WizardActingFor     Key = "staff.wizard.acting_for"
	WizardCarried       Key = "staff.wizard.carried"
	WizardFindPrinters  Key = "staff.wizard.find_printers"
	WizardPrinterOff    Key = "staff.wizard.printer_off"
	WizardPrinterNotNow Key = "staff.wizard.printer_not_now"
	WizardPrintingOn    Key = "staff.wizard.printing_on"
	WizardSaving        Key = "staff.wizard.saving"

	ProxyTitle         Key = "staff.proxy.title"
	ProxyName          Key = "staff.proxy.name"
	ProxyDOB           Key = "staff.proxy.dob"
	ProxyRelationship  Key = "staff.proxy.relationship"
	ProxyBasis         Key = "staff.proxy.basis"
	ProxyChildNote     Key = "staff.proxy.child_note"
	ProxyServices      Key = "staff.proxy.services"
	ProxyRecord        Key = "staff.proxy.record"
	ProxyIDCheck       Key = "staff.proxy.id_check"
	ProxyIDPhoto       Key = "staff.proxy.id_photo"
	ProxyIDVouch       Key = "staff.proxy.id_vouch"
	ProxySafeguarding  Key = "staff.proxy.safeguarding"
	ProxyCoercion      Key = "staff.proxy.coercion"
	ProxySave          Key = "staff.proxy.save"
	ProxySaved         Key = "staff.proxy.saved"
	ProxyPrintLetter   Key = "staff.proxy.print_letter"
	ProxyRelParent     Key = "staff.proxy.rel.parent"
	ProxyRelCarer      Key = "staff.proxy.rel.carer"
	ProxyRelCareHome   Key = "staff.proxy.rel.care_home_staff"
	ProxyRelAttorney   Key = "staff.proxy.rel.attorney"
	ProxyRelDeputy     Key = "staff.proxy.rel.deputy"
	ProxyRelOther      Key = "staff.proxy.rel.other"
	ProxyBasisConsent  Key = "staff.proxy.basis.patient_consent"
	ProxyBasisParental Key = "staff.proxy.basis.parental_responsibility"
	ProxyBasisLPA      Key = "staff.proxy.basis.lasting_power_of_attorney"
	ProxyBasisDeputy   Key = "staff.proxy.basis.court_appointed_deputy"
	ProxyBasisBest     Key = "staff.proxy.basis.best_interests"
)

const (
	// The practice's side of the loop (issue 11): sections, queues, the
	// day's list, booking at the desk, the inbox and refused actions.
	NavShortcut       Key = "staff.nav.shortcut"
	NavMenu           Key = "staff.nav.menu"
	NavChooser        Key = "staff.nav.chooser"
	NavRepeats        Key = "staff.nav.repeats"
	NavHandOut        Key = "staff.nav.hand_out"
	NavToday          Key = "staff.nav.today"
	NavInbox          Key = "staff.nav.inbox"
	NavInboxCount     Key = "staff.nav.inbox_count"
	NavAttention      Key = "staff.nav.attention"
	NavAttentionCount Key = "staff.nav.attention_count"
	AgoToday          Key = "staff.ago.today"
	AgoYesterday      Key = "staff.ago.yesterday"
	AgoDays           Key = "staff.ago.days"
	AtTime            Key = "staff.at_time"
	ChannelKiosk      Key = "staff.channel.kiosk"
	ChannelOnline     Key = "staff.channel.online"
	ChannelReception  Key = "staff.channel.reception"
	PatientLine       Key = "staff.patient_line"
	BackToList        Key = "staff.back_to_list"
	SavedSending      Key = "staff.saved.sending"
	SavedWaiting      Key = "staff.saved.waiting"
	SavedSent         Key = "staff.saved.sent"
	WaitingToSend     Key = "staff.waiting_to_send"

	QueueTitle         Key = "staff.repeats.title"
	QueueNone          Key = "staff.repeats.none"
	QueueAsked         Key = "staff.repeats.asked"
	QueueNote          Key = "staff.repeats.note"
	QueueItem          Key = "staff.repeats.item"
	QueueLastIssued    Key = "staff.repeats.last_issued"
	QueueReviewDue     Key = "staff.repeats.review_due"
	QueueUnsuitable    Key = "staff.repeats.unsuitable"
	QueueDecide        Key = "staff.repeats.decide"
	DecideApprove      Key = "staff.decide.approve"
	DecideDecline      Key = "staff.decide.decline"
	DecideWhy          Key = "staff.decide.why"
	DecideWords        Key = "staff.decide.words"
	DecideApproveAll   Key = "staff.decide.approve_all"
	DecideSave         Key = "staff.decide.save"
	DecideSaved        Key = "staff.decide.saved"
	DecideLeftPending  Key = "staff.decide.left_pending"
	DeclineNeedsReview Key = "staff.decline.needs_review"
	DeclineChanged     Key = "staff.decline.medication_changed"
	DeclineTooEarly    Key = "staff.decline.too_early"
	DeclineNotOnRepeat Key = "staff.decline.not_on_repeat"
	DeclineOther       Key = "staff.decline.other"

	HandOutTitle       Key = "staff.hand_out.title"
	HandOutNone        Key = "staff.hand_out.none"
	HandOutReady       Key = "staff.hand_out.ready"
	HandOutApproved    Key = "staff.hand_out.approved"
	HandOutDeclined    Key = "staff.hand_out.declined"
	HandOutCollected   Key = "staff.hand_out.collected"
	HandOutPharmacy    Key = "staff.hand_out.pharmacy"
	HandOutDoneCollect Key = "staff.hand_out.done_collected"
	HandOutDonePharm   Key = "staff.hand_out.done_pharmacy"

	DayTitle       Key = "staff.day.title"
	DayTitleToday  Key = "staff.day.title_today"
	DayPrevious    Key = "staff.day.previous"
	DayNext        Key = "staff.day.next"
	DayBackToToday Key = "staff.day.today"
	DayNone        Key = "staff.day.none"
	DayRow         Key = "staff.day.row"
	DayBooked      Key = "staff.day.booked"
	DayArrivedAt   Key = "staff.day.arrived_at"
	DayArrived     Key = "staff.day.arrived"
	DaySeen        Key = "staff.day.seen"
	DayDNA         Key = "staff.day.dna"
	DayDNAAsk      Key = "staff.day.dna_ask"
	DayDNAWhy      Key = "staff.day.dna_why"
	DayDNAYes      Key = "staff.day.dna_yes"
	DayNoGoBack    Key = "staff.day.no_go_back"
	DayRecorded    Key = "staff.day.recorded"

	DeskBookButton      Key = "staff.book.button"
	DeskBookTitle       Key = "staff.book.title"
	DeskBookFreeOn      Key = "staff.book.free_on"
	DeskBookNoSlots     Key = "staff.book.no_slots"
	DeskBookSlot        Key = "staff.book.slot"
	DeskBookAsk         Key = "staff.book.ask"
	DeskBookYes         Key = "staff.book.yes"
	DeskBookBack        Key = "staff.book.back"
	DeskBookDone        Key = "staff.book.done"
	DeskBookDoneWaiting Key = "staff.book.done_waiting"
	DeskBookDoneNotYet  Key = "staff.book.done_not_yet"
	DeskBookNotYetWhy   Key = "staff.book.not_yet_why"
	ApptsTitle          Key = "staff.appts.title"
	ApptsNone           Key = "staff.appts.none"
	ApptsLine           Key = "staff.appts.line"
	ApptsLineNotYet     Key = "staff.appts.line_not_yet"
	ApptsCancel         Key = "staff.appts.cancel"
	ApptsCancelAsk      Key = "staff.appts.cancel_ask"
	ApptsCancelYes      Key = "staff.appts.cancel_yes"
	ApptsKeep           Key = "staff.appts.keep"
	ApptsCancelled      Key = "staff.appts.cancelled"
	ApptsLetter         Key = "staff.appts.letter"

	ApptLetterTitle    Key = "staff.appt_letter.title"
	ApptLetterNoCode   Key = "staff.appt_letter.no_code"
	ApptLetterBack     Key = "staff.appt_letter.back"
	ApptLetterPrinted  Key = "staff.appt_letter.printed"
	ApptLetterSaved    Key = "staff.appt_letter.saved"
	ApptLetterStillSet Key = "staff.appt_letter.still_booked"

	InboxTitle       Key = "staff.inbox.title"
	InboxNone        Key = "staff.inbox.none"
	InboxHelp        Key = "staff.inbox.help"
	InboxProblem     Key = "staff.inbox.problem"
	InboxOpen        Key = "staff.inbox.open"
	InboxAcked       Key = "staff.inbox.acknowledged"
	InboxResolved    Key = "staff.inbox.resolved"
	InboxAck         Key = "staff.inbox.ack"
	InboxResolve     Key = "staff.inbox.resolve"
	InboxFromPatient Key = "staff.inbox.from_patient"
	InboxFromStaff   Key = "staff.inbox.from_staff"
	InboxFromSystem  Key = "staff.inbox.from_system"

	RefusedTitle      Key = "staff.attention.title"
	RefusedIntro      Key = "staff.attention.intro"
	RefusedNone       Key = "staff.attention.none"
	RefusedLine       Key = "staff.attention.line"
	RefusedDismiss    Key = "staff.attention.dismiss"
	RefusedOp         Key = "staff.attention.op"
	RefusedDecide     Key = "staff.attention.decide"
	RefusedHandOut    Key = "staff.attention.hand_out"
	RefusedOutcome    Key = "staff.attention.outcome"
	RefusedAlert      Key = "staff.attention.alert"
	RefusedBook       Key = "staff.attention.book"
	RefusedCancel     Key = "staff.attention.cancel"
	RefusedRegister   Key = "staff.attention.register"
	RefusedProxy      Key = "staff.attention.proxy"
	RefusedNextDecide Key = "staff.attention.next_decide"
	RefusedNextBook   Key = "staff.attention.next_book"
	RefusedNextOther  Key = "staff.attention.next_other"
)

// The desk's practice-mode menu (issue 12).
const (
	NavPracticeMenu Key = "staff.nav.practice_menu"
	NavPracticeOpen Key = "staff.nav.practice_open"
)

func staffEnglish() map[Key]string {
	return map[Key]string{
		NavPracticeMenu:       "Practice",
		NavPracticeOpen:       "Open practice mode for a digital-skills session",
		StaffSignInTitle:      "Sign in to %s",
		StaffUsername:         "Username",
		StaffPassword:         "Password",
		StaffSignIn:           "Sign in",
		StaffCheckingPassword: "Checking…",
		StaffSignOut:          "Sign out",
		StaffSignedInAs:       "Signed in: %s (%s)",
		StaffSignedOutIdle:    "You were signed out because the computer was not used for a while.",
		StaffSessionOver:      "For safety, a sign-in lasts at most 8 hours. Please sign in again.",
		StaffOffline:          "Working offline: changes will be sent when the connection returns.",
		StaffPending:          "%s changes waiting to be sent.",
		StaffPendingOne:       "1 change waiting to be sent.",
		StaffRoleReceptionist: "reception",
		StaffRoleClinician:    "clinician",
		StaffRoleManager:      "practice manager",
		StaffSomethingWrong:   "Something went wrong on this computer. Please try again, or tell the practice manager.",
		StaffNotSynced:        "This computer has not heard from the practice server yet. It needs the practice's details to make a letter. Connect it to the network and try again.",

		FindTitle:        "Find a patient",
		FindNHSNumber:    "NHS number",
		FindOr:           "or",
		FindSurname:      "Surname",
		FindDOB:          "Date of birth",
		FindDOBHint:      "DD/MM/YYYY",
		FindButton:       "Search",
		FindNone:         "No patient found. Check the details, or search another way.",
		FindBadDOB:       "Enter the date of birth as day/month/year, for example 15/03/1946.",
		FindResult:       "%s %s, born %s, NHS %s, %s",
		FindResultsCount: "%s found. Choose the right person:",
		FindAnother:      "Find another patient",

		RecordBorn:            "Born %s (age %s)",
		RecordNHSNumber:       "NHS number %s",
		RecordAddress:         "%s, %s",
		RecordRegistrations:   "Online services",
		RecordNoRegistrations: "No online services yet.",
		RecordProxies:         "People who can act for them",
		RecordNoProxies:       "Nobody has proxy access.",
		RecordOwnLetter:       "Their own letter",
		RecordProxyLetter:     "Letter for %s",
		RecordActiveUntil:     "active; NHS App Linkage Key to be used by %s",
		RecordActive:          "active",
		RecordReplaced:        "replaced: this letter no longer works",
		RecordExpired:         "active; its NHS App Linkage Key ran out on %s",
		RecordWaiting:         "waiting to be sent: this computer is offline",
		RecordSending:         "being sent to the practice",
		RecordTooYoung:        "%s is %s. Under %ss cannot have their own online services here. A parent or guardian can have proxy access instead.",
		RecordRegister:        "Register for online services",
		RecordNewLetter:       "Print a new letter",
		RecordProxyAccess:     "Set up proxy access",
		RecordProxyRegister:   "Letter for %s",
		RecordProxyLine:       "%s (%s), %s",
		RecordViewOnly:        "Only reception staff and the practice manager can register patients.",
		RecordServicesAppts:   "appointments",
		RecordServicesPresc:   "prescriptions",
		RecordServicesRecord:  "record",
		RecordServicesKiosk:   "kiosk",

		WizardStep:          "Step %s of %s",
		WizardTitle:         "Register %s for online services",
		WizardProxyTitle:    "Register %s to act for %s",
		WizardNext:          "Next",
		WizardBack:          "Back",
		WizardCancel:        "Cancel",
		WizardIDQuestion:    "How did you check who they are?",
		WizardIDPhoto:       "Photo ID and proof of address",
		WizardIDVouch:       "Vouching: staff here know them",
		WizardIDVouchInfo:   "Vouching, with questions only they could answer",
		WizardIDChoose:      "Choose how you checked who they are.",
		WizardIDCheckedBy:   "Checked by %s today.",
		WizardQuestionsHint: "Ask questions like these. Do not read anything from their record aloud.",
		WizardQuestion1:     "When did you last come to the surgery?",
		WizardQuestion2:     "Which chemist do you get your pills from?",
		WizardQuestion3:     "Who did you last see here, a doctor or a nurse?",
		WizardCoercionAsk:   "Ask them: has anyone pressured you to share your online access?",
		WizardCoercionNo:    "No: I asked and they said no",
		WizardCoercionYes:   "Yes, or I have concerns",
		WizardCoercionNeed:  "Ask the question and choose their answer.",
		WizardCoercionStop:  "Do not register them today. Speak to the practice's safeguarding lead. Nothing has been issued.",
		WizardServices:      "Which services?",
		WizardAppointments:  "Book and cancel appointments",
		WizardPrescriptions: "Order repeat prescriptions",
		WizardRecordAccess:  "Record access",
		WizardRecordNone:    "None",
		WizardRecordSummary: "Summary",
		WizardRecordFull:    "Detailed",
		WizardRecordVouch:   "The detailed record needs photo ID and proof of address.",
		WizardKiosk:         "Use the surgery kiosk",
		WizardLetter:        "Print their letter",
		WizardLetterFor:     "The letter is for %s. Its details are only on the paper.",
		WizardReissueWarn:   "Their old letter will stop working.",
		WizardPrinter:       "Printer",
		WizardNoPrinters:    "No printers are set up on this computer. Save the letter as a PDF instead.",
		WizardPrint:         "Print letter",
		WizardPrinting:      "Printing…",
		WizardSaveTo:        "Or save as a PDF file",
		WizardSave:          "Save as PDF",
		WizardPrinted:       "The letter has printed on %s. Give it to %s.",
		WizardSaved:         "Letter saved to %s. Print it and give it to %s.",
		WizardUseBy:         "Its Linkage Key must be used in the NHS App by %s.",
		WizardOldStops:      "Their old letter no longer works.",
		WizardNotIssued:     "Nothing has been issued. Try again, or choose another way.",
		WizardDone:          "Back to the patient",
		WizardActingFor:     "Acting for %s",
		WizardCarried:       "Kept from the proxy form: %s checked their identity (%s). Safeguarding and pressure were considered.",
		WizardFindPrinters:  "Looking for printers…",
		WizardPrinterOff:    "%s (not working now)",
		WizardPrinterNotNow: "%s cannot print now. %s Choose another printer, or fix it and try again.",
		WizardPrintingOn:    "Printing on %s… Please wait.",
		WizardSaving:        "Saving…",

		ProxyTitle:         "Proxy access for %s",
		ProxyName:          "The proxy's full name",
		ProxyDOB:           "The proxy's date of birth (DD/MM/YYYY)",
		ProxyRelationship:  "How are they related?",
		ProxyBasis:         "Legal basis",
		ProxyChildNote:     "%s is %s. From about 11 a child's own view matters: ask them too, and review this access.",
		ProxyServices:      "What may the proxy do?",
		ProxyRecord:        "See the record",
		ProxyIDCheck:       "How did you check the proxy's own identity?",
		ProxyIDPhoto:       "Photo ID and proof of address",
		ProxyIDVouch:       "Vouching: staff here know them",
		ProxySafeguarding:  "I considered safeguarding for both people",
		ProxyCoercion:      "I considered coercion for both people",
		ProxySave:          "Save proxy access",
		ProxySaved:         "%s can now act for %s.",
		ProxyPrintLetter:   "Print the proxy's registration letter",
		ProxyRelParent:     "Parent",
		ProxyRelCarer:      "Carer",
		ProxyRelCareHome:   "Care home staff",
		ProxyRelAttorney:   "Attorney",
		ProxyRelDeputy:     "Deputy",
		ProxyRelOther:      "Other",
		ProxyBasisConsent:  "The patient's consent",
		ProxyBasisParental: "Parental responsibility",
		ProxyBasisLPA:      "Lasting power of attorney",
		ProxyBasisDeputy:   "Court-appointed deputy",
		ProxyBasisBest:     "Best interests decision",

		NavShortcut:       "%s (Alt+%s)",
		NavMenu:           "Go to",
		NavChooser:        "Go to:",
		NavRepeats:        "Repeat requests",
		NavHandOut:        "To hand out",
		NavToday:          "Today's list",
		NavInbox:          "Inbox",
		NavInboxCount:     "Inbox (%s)",
		NavAttention:      "Needs attention",
		NavAttentionCount: "Needs attention (%s)",
		AgoToday:          "today",
		AgoYesterday:      "yesterday",
		AgoDays:           "%s days ago",
		AtTime:            "%s, %s",
		ChannelKiosk:      "at the kiosk",
		ChannelOnline:     "online",
		ChannelReception:  "at reception",
		PatientLine:       "%s, born %s, NHS %s",
		BackToList:        "Back to the list",
		SavedSending:      "It is being sent to the practice.",
		SavedWaiting:      "It will be sent when this computer is back online.",
		SavedSent:         "It has reached the practice.",
		WaitingToSend:     "waiting to be sent",

		QueueTitle:         "Repeat requests to decide",
		QueueNone:          "No repeat requests are waiting. New ones come in with each sync.",
		QueueAsked:         "Asked %s (%s), %s.",
		QueueNote:          "Their note: “%s”",
		QueueItem:          "%s %s: %s",
		QueueLastIssued:    "Last issued %s.",
		QueueReviewDue:     "Due for review (since %s)",
		QueueUnsuitable:    "Online ordering is not suitable for this patient.",
		QueueDecide:        "Decide",
		DecideApprove:      "Approve",
		DecideDecline:      "Decline",
		DecideWhy:          "Why? The patient is told this.",
		DecideWords:        "Your words for the patient (needed for Other)",
		DecideApproveAll:   "Approve all",
		DecideSave:         "Save decision",
		DecideSaved:        "Decision saved for %s.",
		DecideLeftPending:  "Items with no choice stay waiting.",
		DeclineNeedsReview: "Needs a review appointment",
		DeclineChanged:     "Medication changed",
		DeclineTooEarly:    "Too early",
		DeclineNotOnRepeat: "Not on repeat",
		DeclineOther:       "Other",

		HandOutTitle:       "Prescriptions to hand out",
		HandOutNone:        "Nothing to hand out.",
		HandOutReady:       "Ready from %s.",
		HandOutApproved:    "Approved: %s",
		HandOutDeclined:    "Declined: %s",
		HandOutCollected:   "Collected",
		HandOutPharmacy:    "Sent to pharmacy",
		HandOutDoneCollect: "Marked as collected: %s.",
		HandOutDonePharm:   "Marked as sent to the pharmacy: %s.",

		DayTitle:       "Appointments on %s",
		DayTitleToday:  "Today's list: %s",
		DayPrevious:    "Previous day",
		DayNext:        "Next day",
		DayBackToToday: "Today",
		DayNone:        "No appointments on this day.",
		DayRow:         "%s  %s, born %s. %s.",
		DayBooked:      "Booked",
		DayArrivedAt:   "Arrived %s",
		DayArrived:     "Arrived",
		DaySeen:        "Seen",
		DayDNA:         "Did not attend",
		DayDNAAsk:      "Mark %s as did not attend, for %s?",
		DayDNAWhy:      "This counts towards suspending their online booking.",
		DayDNAYes:      "Yes, did not attend",
		DayNoGoBack:    "No, go back",
		DayRecorded:    "%s: %s.",

		DeskBookButton:      "Book an appointment",
		DeskBookTitle:       "Book for %s",
		DeskBookFreeOn:      "Free times on %s",
		DeskBookNoSlots:     "No free times on this day. Try the next day.",
		DeskBookSlot:        "%s with %s (%s)",
		DeskBookAsk:         "Book %s with %s for %s?",
		DeskBookYes:         "Book it",
		DeskBookBack:        "Back",
		DeskBookDone:        "Booked: %s with %s.",
		DeskBookDoneWaiting: "Booked: %s with %s. It is waiting to be sent.",
		DeskBookDoneNotYet:  "Not confirmed yet: %s with %s.",
		DeskBookNotYetWhy:   "It will be confirmed when this computer is back online. If the time has gone, tell the patient.",
		ApptsTitle:          "Appointments",
		ApptsNone:           "No appointments booked.",
		ApptsLine:           "%s with %s (%s)",
		ApptsLineNotYet:     "%s with %s (%s), not confirmed yet",
		ApptsCancel:         "Cancel",
		ApptsCancelAsk:      "Cancel %s with %s?",
		ApptsCancelYes:      "Yes, cancel it",
		ApptsKeep:           "No, keep it",
		ApptsCancelled:      "Cancelled: %s with %s.",
		ApptsLetter:         "Print appointment letter",

		ApptLetterTitle:    "Appointment letter for %s",
		ApptLetterNoCode:   "This letter will have no check-in QR code. This computer keeps the code only for a booking just made here.",
		ApptLetterBack:     "Back",
		ApptLetterPrinted:  "The appointment letter has printed on %s. Give it to %s.",
		ApptLetterSaved:    "Appointment letter saved to %s. Print it and give it to %s.",
		ApptLetterStillSet: "The appointment is still booked.",

		InboxTitle:       "Help requests and problem reports",
		InboxNone:        "Nothing in the inbox.",
		InboxHelp:        "Help asked for at %s, %s.",
		InboxProblem:     "Problem at %s, %s: %s.",
		InboxOpen:        "New",
		InboxAcked:       "Being dealt with by %s",
		InboxResolved:    "Done by %s",
		InboxAck:         "Acknowledge",
		InboxResolve:     "Resolve",
		InboxFromPatient: "From a patient",
		InboxFromStaff:   "From staff",
		InboxFromSystem:  "From the practice server",

		RefusedTitle:      "Needs attention",
		RefusedIntro:      "The practice server did not accept these actions of yours.",
		RefusedNone:       "Nothing needs your attention.",
		RefusedLine:       "%s, %s",
		RefusedDismiss:    "Dismiss",
		RefusedOp:         "An action",
		RefusedDecide:     "A decision on a repeat request",
		RefusedHandOut:    "A prescription handed out",
		RefusedOutcome:    "An arrival or outcome",
		RefusedAlert:      "A help request or problem report",
		RefusedBook:       "A booking",
		RefusedCancel:     "A cancelled appointment",
		RefusedRegister:   "A registration for online services",
		RefusedProxy:      "A proxy link",
		RefusedNextDecide: "Open the request again to see where it stands.",
		RefusedNextBook:   "Check the patient's appointments. Book again if they still need one.",
		RefusedNextOther:  "Check where it stands, and do it again if it is still needed.",
	}
}

// VerificationMethod is a way of checking identity in the words the
// registration wizard offers it, wherever it is named (the record, the
// uptake figures); an unknown method is shown as it is.
func VerificationMethod(method string) string {
	switch method {
	case store.VerifyPhotoIDAndAddress:
		return T(WizardIDPhoto)
	case store.VerifyVouching:
		return T(WizardIDVouch)
	case store.VerifyVouchingWithInfo:
		return T(WizardIDVouchInfo)
	}
	return method
}
