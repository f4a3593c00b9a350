package text

// Practice mode: the guided lessons, the coach that runs them over the
// kiosk's own screens, and the helper's view (ui/lessons, ui/practice).
const (
	LessonTouch  Key = "lesson.touch.title"
	LessonSignIn Key = "lesson.sign_in.title"
	LessonBook   Key = "lesson.book.title"
	LessonCancel Key = "lesson.cancel.title"
	LessonRepeat Key = "lesson.repeat.title"
	LessonArrive Key = "lesson.check_in.title"
	LessonSafe   Key = "lesson.safe.title"
	LessonHome   Key = "lesson.home.title"

	TouchPressBook Key = "lesson.touch.press_book"
	TouchTypeAB    Key = "lesson.touch.type_ab"
	TouchDelete    Key = "lesson.touch.delete"
	TouchBack      Key = "lesson.touch.back"

	SignInAbout      Key = "lesson.sign_in.about"
	SignInPressMine  Key = "lesson.sign_in.press_mine"
	SignInTypeID     Key = "lesson.sign_in.type_id"
	SignInPressNext  Key = "lesson.sign_in.press_next"
	SignInTypeDOB    Key = "lesson.sign_in.type_dob"
	SignInKeepSafe   Key = "lesson.sign_in.keep_safe"
	SignInPressDone  Key = "lesson.sign_in.press_finished"
	SignInPressClose Key = "lesson.sign_in.press_done"

	BookPressBook Key = "lesson.book.press_book"
	BookPressGP   Key = "lesson.book.press_gp"
	BookPressTime Key = "lesson.book.press_time"
	BookPressYes  Key = "lesson.book.press_yes"
	BookAfter     Key = "lesson.book.after"

	CancelPressMine Key = "lesson.cancel.press_mine"
	CancelPressOne  Key = "lesson.cancel.press_cancel"
	CancelPressYes  Key = "lesson.cancel.press_yes"
	CancelAfter     Key = "lesson.cancel.after"

	RepeatPressOrder Key = "lesson.repeat.press_repeats"
	RepeatTick       Key = "lesson.repeat.tick"
	RepeatPressNext  Key = "lesson.repeat.press_order"
	RepeatTypeNote   Key = "lesson.repeat.type_note"
	RepeatPressSend  Key = "lesson.repeat.press_send"
	RepeatAfter      Key = "lesson.repeat.after"

	ArriveAbout     Key = "lesson.check_in.about"
	ArrivePress     Key = "lesson.check_in.press"
	ArriveTypeDOB   Key = "lesson.check_in.type_dob"
	ArrivePressSex  Key = "lesson.check_in.press_sex"
	ArrivePressH    Key = "lesson.check_in.press_initial"
	ArriveAfter     Key = "lesson.check_in.after"
	SafeAbout       Key = "lesson.safe.about"
	SafeTextAsk     Key = "lesson.safe.text.ask"
	SafeTextReal    Key = "lesson.safe.text.real"
	SafeTextScam    Key = "lesson.safe.text.scam"
	SafeTextHint    Key = "lesson.safe.text.hint"
	SafeCallAsk     Key = "lesson.safe.call.ask"
	SafeCallRead    Key = "lesson.safe.call.read"
	SafeCallHangUp  Key = "lesson.safe.call.hang_up"
	SafeCallHint    Key = "lesson.safe.call.hint"
	SafePayAsk      Key = "lesson.safe.pay.ask"
	SafePayYes      Key = "lesson.safe.pay.yes"
	SafePayNo       Key = "lesson.safe.pay.no"
	SafePayHint     Key = "lesson.safe.pay.hint"
	SafeAfter       Key = "lesson.safe.after"
	HomeThree       Key = "lesson.home.three"
	HomeODS         Key = "lesson.home.ods"
	HomeProve       Key = "lesson.home.prove"
	HomeWhere       Key = "lesson.home.where"
	HomeSecretAsk   Key = "lesson.home.secret.ask"
	HomeSecretName  Key = "lesson.home.secret.name"
	HomeSecretKey   Key = "lesson.home.secret.key"
	HomeSecretHint  Key = "lesson.home.secret.hint"
	CoachTitle      Key = "coach.title"
	CoachStep       Key = "coach.step"
	CoachShowMe     Key = "coach.show_me"
	CoachTryAgain   Key = "coach.try_again"
	CoachNext       Key = "coach.next"
	CoachHelper     Key = "coach.helper"
	CoachPressHere  Key = "coach.press_here"
	CoachWrongPlace Key = "coach.wrong_place"
	CoachWrongKey   Key = "coach.wrong_key"
	CoachWorking    Key = "coach.working"
	CoachWellDone   Key = "coach.well_done"
	CoachNextLesson Key = "coach.next_lesson"
	CoachAllDone    Key = "coach.all_done"
	CoachFree       Key = "coach.free"

	HelperTitle      Key = "helper.title"
	HelperHint       Key = "helper.hint"
	HelperDoneToday  Key = "helper.done_today"
	HelperStart      Key = "helper.start"
	HelperFree       Key = "helper.free"
	HelperReset      Key = "helper.reset"
	HelperResetDone  Key = "helper.reset_done"
	HelperPrint      Key = "helper.print"
	HelperSavePDF    Key = "helper.save_pdf"
	HelperPrinting   Key = "helper.printing"
	HelperSaved      Key = "helper.saved"
	HelperNotPrinted Key = "helper.not_printed"
	HelperChooseOne  Key = "helper.choose_one"
	HelperEnd        Key = "helper.end"
	HelperClose      Key = "helper.close"
	HelperSaving     Key = "helper.saving"
	HelperCounted    Key = "helper.counted"
)

func lessonsEnglish() map[Key]string {
	return map[Key]string{
		LessonTouch:  "Using the touchscreen and the keys",
		LessonSignIn: "Signing in with your letter",
		LessonBook:   "Booking an appointment",
		LessonCancel: "Cancelling an appointment",
		LessonRepeat: "Ordering a repeat prescription",
		LessonArrive: "Checking in when you arrive",
		LessonSafe:   "Staying safe from scams",
		LessonHome:   "From here to home: the NHS App",

		TouchPressBook: "Touch the big button that says “Book an appointment”. Use one finger and touch it once.",
		TouchTypeAB:    "These are the keys. Touch the A key, then the B key.",
		TouchDelete:    "Made a mistake? The Delete key takes away the last one. Touch Delete now.",
		TouchBack:      "Touch Back to go back to the first screen.",

		SignInAbout:      "Your letter from the surgery has an Account ID. The pretend letter's Account ID is %s.",
		SignInPressMine:  "Touch “My appointments”. The screen will ask for your letter.",
		SignInTypeID:     "Type the Account ID on the keys: %s. You do not need the dash. Or scan the square code on the pretend letter.",
		SignInPressNext:  "Touch Next.",
		SignInTypeDOB:    "Now type the date of birth: %s. That is the day, the month, then the year.",
		SignInKeepSafe:   "You are signed in. Keep your letter safe, like a bank card. Never show its codes to anyone.",
		SignInPressDone:  "When you have finished, always touch “I have finished”. Then the next person cannot see your details.",
		SignInPressClose: "Touch Done.",

		BookPressBook: "You are signed in as a pretend patient. Touch “Book an appointment”.",
		BookPressGP:   "Choose what the appointment is for. Touch “%s”.",
		BookPressTime: "These are the free times, soonest first. Touch the first one.",
		BookPressYes:  "Check the day and the time. If they suit you, touch “Yes, book it”.",
		BookAfter:     "A real kiosk says “You are booked in”. This one says “Practice only”, as nothing here is real.",

		CancelPressMine: "You have a pretend appointment. Touch “My appointments” to see it.",
		CancelPressOne:  "Touch “Cancel this appointment” under the time you cannot come to.",
		CancelPressYes:  "If you are sure, touch “Yes, cancel it”.",
		CancelAfter:     "The time is free again for someone else. Please always cancel if you cannot come.",

		RepeatPressOrder: "You are signed in as a pretend patient. Touch “Order my repeat prescriptions”.",
		RepeatTick:       "Touch a medicine you need, so it has a tick.",
		RepeatPressNext:  "Touch “Order”.",
		RepeatTypeNote:   "You can add a short note. Type the word %s on the keys.",
		RepeatPressSend:  "Touch “Send my order”.",
		RepeatAfter:      "Your order goes to the practice. The kiosk tells you when it is ready, the next time you sign in.",

		ArriveAbout:    "You have a pretend appointment today. You are %s, born on %s.",
		ArrivePress:    "Touch “Check in for my appointment”.",
		ArriveTypeDOB:  "Type the date of birth: %s.",
		ArrivePressSex: "Touch %s.",
		ArrivePressH:   "Touch the first letter of the surname, %s.",
		ArriveAfter:    "You are checked in. Take a seat: you will be called.",

		SafeAbout:      "Your letter, its Linkage Key and codes are like the PIN for a bank card. Never share them.",
		SafeTextAsk:    "A text says: “NHS: your account is locked. Reply with your Linkage Key.” Is it real?",
		SafeTextReal:   "It is real. I will reply.",
		SafeTextScam:   "It is a scam. I will not reply.",
		SafeTextHint:   "Look again. The NHS never asks for your Linkage Key by text. It is a scam.",
		SafeCallAsk:    "Someone rings. They say they are from the surgery and ask for the code on your letter. What do you do?",
		SafeCallRead:   "Read them the code.",
		SafeCallHangUp: "Hang up. Call the surgery on the number I know.",
		SafeCallHint:   "The surgery will never ask for your codes. Hang up and call them yourself.",
		SafePayAsk:     "A text says you must pay to see your GP. It has a link. What do you do?",
		SafePayYes:     "Touch the link and pay.",
		SafePayNo:      "Do not touch the link. Seeing a GP is free.",
		SafePayHint:    "Seeing your GP is free. A text that asks you to pay is a scam.",
		SafeAfter:      "Not sure? Ask at the desk or call the surgery. You can send scam texts on to 7726 for free.",

		HomeThree:      "For the NHS App, your letter has three things. They are the Account ID, the Linkage Key and the ODS code.",
		HomeODS:        "The ODS code says which surgery you are with. This pretend surgery's code is %s.",
		HomeProve:      "When you set up the NHS App, these three show who you are. Then the app links to your surgery.",
		HomeWhere:      "Use the NHS App on a phone, or the NHS website on a library computer. The Linkage Key lasts 14 days. After that, ask the surgery for a new letter.",
		HomeSecretAsk:  "Which of these must you keep secret?",
		HomeSecretName: "The name of my surgery",
		HomeSecretKey:  "My Linkage Key",
		HomeSecretHint: "Your surgery's name is not a secret. The Linkage Key is like a password: keep it secret.",

		CoachTitle:      "Lesson: %s",
		CoachStep:       "Step %s of %s:",
		CoachShowMe:     "Show me",
		CoachTryAgain:   "Try again",
		CoachNext:       "Next step",
		CoachHelper:     "Helper",
		CoachPressHere:  "Touch here",
		CoachWrongPlace: "That opened a different screen. That is fine. Touch “Try again” to go back.",
		CoachWrongKey:   "That is not the next one. Touch Delete to take it away.",
		CoachWorking:    "Watch the screen…",
		CoachWellDone:   "Well done! You have finished: %s.",
		CoachNextLesson: "Next lesson",
		CoachAllDone:    "You have done all the lessons for today. Well done! Ask your helper what to do next.",
		CoachFree:       "Practise on your own. Nothing here is real, so you cannot break anything.",

		HelperTitle:      "Helper: practice mode",
		HelperHint:       "Choose lessons for this learner. Do not ask for their name. Nothing about them is kept.",
		HelperDoneToday:  "%s (done)",
		HelperStart:      "Start the lessons",
		HelperFree:       "Let them practise on their own",
		HelperReset:      "Start again from the beginning",
		HelperResetDone:  "All is back as it was at the start.",
		HelperPrint:      "Print “What I practised today”",
		HelperSavePDF:    "Save “What I practised today” as a PDF",
		HelperPrinting:   "Printing. Take the slip from the printer.",
		HelperSaved:      "Saved as %s",
		HelperNotPrinted: "That did not print. Check the printer and try again.",
		HelperChooseOne:  "Choose at least one lesson first.",
		HelperEnd:        "End practice mode",
		HelperClose:      "Close practice mode",
		HelperSaving:     "Saving. Please wait…",
		HelperCounted:    "Lessons finished on this device today: %s",
	}
}
