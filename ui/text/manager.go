package text

// The practice manager's screens on the staff desktop (issue 16):
// settings, devices, staff accounts, the audit log and uptake figures.
const (
	NavSettings                Key = "staff.nav.settings"
	NavDevices                 Key = "staff.nav.devices"
	NavStaffAccounts           Key = "staff.nav.staff_accounts"
	NavAudit                   Key = "staff.nav.audit"
	NavUptake                  Key = "staff.nav.uptake"
	ManageLoading              Key = "staff.manage.loading"
	ManageSending              Key = "staff.manage.sending"
	ManageSaving               Key = "staff.manage.saving"
	ManageStale                Key = "staff.manage.stale"
	ManageAgoNever             Key = "staff.manage.ago.never"
	ManageAgoNow               Key = "staff.manage.ago.now"
	ManageAgoMinute            Key = "staff.manage.ago.minute"
	ManageAgoMinutes           Key = "staff.manage.ago.minutes"
	ManageAgoHour              Key = "staff.manage.ago.hour"
	ManageAgoHours             Key = "staff.manage.ago.hours"
	ManageAgoDay               Key = "staff.manage.ago.day"
	ManageAgoDays              Key = "staff.manage.ago.days"
	ManageBack                 Key = "staff.manage.back"
	ManageNext                 Key = "staff.manage.next"
	ManageNoGoBack             Key = "staff.manage.no_go_back"
	ManageSettingsTitle        Key = "staff.manage.settings.title"
	ManageGroupBooking         Key = "staff.manage.group.booking"
	ManageGroupTypes           Key = "staff.manage.group.types"
	ManageGroupRepeats         Key = "staff.manage.group.repeats"
	ManageGroupKiosk           Key = "staff.manage.group.kiosk"
	ManageGroupLeases          Key = "staff.manage.group.leases"
	ManageUnitDays             Key = "staff.manage.unit.days"
	ManageUnitMinutes          Key = "staff.manage.unit.minutes"
	ManageUnitAppointments     Key = "staff.manage.unit.appointments"
	ManageUnitYears            Key = "staff.manage.unit.years"
	ManageUnitLetters          Key = "staff.manage.unit.letters"
	ManageUnitSlots            Key = "staff.manage.unit.slots"
	ManageBookingWindow        Key = "staff.manage.booking_window"
	ManageBookingWindowHelp    Key = "staff.manage.booking_window.help"
	ManageMinNotice            Key = "staff.manage.min_notice"
	ManageMinNoticeHelp        Key = "staff.manage.min_notice.help"
	ManageCancelCutoff         Key = "staff.manage.cancel_cutoff"
	ManageCancelCutoffHelp     Key = "staff.manage.cancel_cutoff.help"
	ManageMaxHeld              Key = "staff.manage.max_held"
	ManageMaxHeldHelp          Key = "staff.manage.max_held.help"
	ManageMaxHeldUnchecked     Key = "staff.manage.max_held_unchecked"
	ManageMaxHeldUncheckedHelp Key = "staff.manage.max_held_unchecked.help"
	ManageMinAge               Key = "staff.manage.min_age"
	ManageMinAgeHelp           Key = "staff.manage.min_age.help"
	ManageTypeMinAge           Key = "staff.manage.type_min_age"
	ManageTypeMaxAge           Key = "staff.manage.type_max_age"
	ManageRepeatDays           Key = "staff.manage.repeat_days"
	ManageRepeatDaysHelp       Key = "staff.manage.repeat_days.help"
	ManageNoteLength           Key = "staff.manage.note_length"
	ManageNoteLengthHelp       Key = "staff.manage.note_length.help"
	ManageLeasesPerDay         Key = "staff.manage.leases_per_day"
	ManageLeasesPerDayHelp     Key = "staff.manage.leases_per_day.help"
	ManageLeaseReturn          Key = "staff.manage.lease_return"
	ManageLeaseReturnHelp      Key = "staff.manage.lease_return.help"
	ManageLeaseIdle            Key = "staff.manage.lease_idle"
	ManageLeaseIdleHelp        Key = "staff.manage.lease_idle.help"
	ManagePIN                  Key = "staff.manage.pin"
	ManagePINHelp              Key = "staff.manage.pin.help"
	ManagePINHelpNone          Key = "staff.manage.pin.help_none"
	ManagePINNew               Key = "staff.manage.pin.new"
	ManagePINAgain             Key = "staff.manage.pin.again"
	ManagePINDiffer            Key = "staff.manage.pin.differ"
	ManageWholeNumber          Key = "staff.manage.whole_number"
	ManageClockHint            Key = "staff.manage.clock_hint"
	ManageBadClock             Key = "staff.manage.bad_clock"
	ManageFixFields            Key = "staff.manage.fix_fields"
	ManageGroupDesktops        Key = "staff.manage.group.desktops"
	ManageUnitSeconds          Key = "staff.manage.unit.seconds"
	ManageRelease              Key = "staff.manage.release"
	ManageReleaseHelp          Key = "staff.manage.release.help"
	ManageKioskIdle            Key = "staff.manage.kiosk_idle"
	ManageKioskIdleHelp        Key = "staff.manage.kiosk_idle.help"
	ManageKioskWarning         Key = "staff.manage.kiosk_warning"
	ManageKioskWarningHelp     Key = "staff.manage.kiosk_warning.help"
	ManageReadAloud            Key = "staff.manage.read_aloud"
	ManageReadAloudHelp        Key = "staff.manage.read_aloud.help"
	ManageStaffIdle            Key = "staff.manage.staff_idle"
	ManageStaffIdleHelp        Key = "staff.manage.staff_idle.help"
	ManageMoreMarked           Key = "staff.manage.more_marked"
	ManageSave                 Key = "staff.manage.save"
	ManageSaved                Key = "staff.manage.saved"
	ManageDevicesTitle         Key = "staff.manage.devices.title"
	ManageNoDevices            Key = "staff.manage.devices.none"
	ManageKiosk                Key = "staff.manage.kiosk"
	ManageDesktop              Key = "staff.manage.desktop"
	ManageRevokedOn            Key = "staff.manage.revoked_on"
	ManageLastSeen             Key = "staff.manage.last_seen"
	ManageNeverSeen            Key = "staff.manage.never_seen"
	ManageVersion              Key = "staff.manage.version"
	ManageNothingWaiting       Key = "staff.manage.nothing_waiting"
	ManageOneWaiting           Key = "staff.manage.one_waiting"
	ManageWaiting              Key = "staff.manage.waiting"
	ManageLeasesHeld           Key = "staff.manage.leases_held"
	ManageRename               Key = "staff.manage.rename"
	ManageRevoke               Key = "staff.manage.revoke"
	ManageAddDevice            Key = "staff.manage.add_device"
	ManageWhichKind            Key = "staff.manage.which_kind"
	ManageKioskForPatients     Key = "staff.manage.kiosk_for_patients"
	ManageDesktopForStaff      Key = "staff.manage.desktop_for_staff"
	ManageDeviceName           Key = "staff.manage.device_name"
	ManageDeviceNameHint       Key = "staff.manage.device_name_hint"
	ManageChooseKind           Key = "staff.manage.choose_kind"
	ManageNameDevice           Key = "staff.manage.name_device"
	ManageMakeCode             Key = "staff.manage.make_code"
	ManageCodeFor              Key = "staff.manage.code_for"
	ManageCodeHow              Key = "staff.manage.code_how"
	ManageCodeExpires          Key = "staff.manage.code_expires"
	ManageBackToDevices        Key = "staff.manage.back_to_devices"
	ManageRenameTitle          Key = "staff.manage.rename.title"
	ManageRenameAsk            Key = "staff.manage.rename.ask"
	ManageRenameYes            Key = "staff.manage.rename.yes"
	ManageRenamed              Key = "staff.manage.renamed"
	ManageRevokeTitle          Key = "staff.manage.revoke.title"
	ManageRevokeAsk            Key = "staff.manage.revoke.ask"
	ManageRevokeYes            Key = "staff.manage.revoke.yes"
	ManageRevoked              Key = "staff.manage.revoked"
	ManageStaffTitle           Key = "staff.manage.staff.title"
	ManageUsername             Key = "staff.manage.username"
	ManageActive               Key = "staff.manage.active"
	ManageDisabled             Key = "staff.manage.disabled"
	ManagePasswordSet          Key = "staff.manage.password_set"
	ManageNoPassword           Key = "staff.manage.no_password"
	ManageDisable              Key = "staff.manage.disable"
	ManageEnable               Key = "staff.manage.enable"
	ManageResetPassword        Key = "staff.manage.reset_password"
	ManageChangeRole           Key = "staff.manage.change_role"
	ManageAddStaff             Key = "staff.manage.add_staff"
	ManageAddStaffYes          Key = "staff.manage.add_staff.yes"
	ManageAdded                Key = "staff.manage.added"
	ManageUsernameLabel        Key = "staff.manage.username_label"
	ManageUsernameHint         Key = "staff.manage.username_hint"
	ManageFullName             Key = "staff.manage.full_name"
	ManageFullNameHint         Key = "staff.manage.full_name_hint"
	ManageRole                 Key = "staff.manage.role"
	ManageUsernameNeeded       Key = "staff.manage.username_needed"
	ManageNameNeeded           Key = "staff.manage.name_needed"
	ManageRoleNeeded           Key = "staff.manage.role_needed"
	ManagePasswordNew          Key = "staff.manage.password_new"
	ManagePasswordAgain        Key = "staff.manage.password_again"
	ManagePasswordNeeded       Key = "staff.manage.password_needed"
	ManagePasswordsDiffer      Key = "staff.manage.passwords_differ"
	ManageDisableTitle         Key = "staff.manage.disable.title"
	ManageDisableAsk           Key = "staff.manage.disable.ask"
	ManageDisableYes           Key = "staff.manage.disable.yes"
	ManageDisabledDone         Key = "staff.manage.disabled_done"
	ManageEnabledDone          Key = "staff.manage.enabled_done"
	ManageResetTitle           Key = "staff.manage.reset.title"
	ManageResetHelp            Key = "staff.manage.reset.help"
	ManageResetYes             Key = "staff.manage.reset.yes"
	ManageResetDone            Key = "staff.manage.reset.done"
	ManageRoleTitle            Key = "staff.manage.role.title"
	ManageRoleAsk              Key = "staff.manage.role.ask"
	ManageRoleYes              Key = "staff.manage.role.yes"
	ManageRoleSame             Key = "staff.manage.role.same"
	ManageRoleDone             Key = "staff.manage.role.done"
	ManageAuditTitle           Key = "staff.manage.audit.title"
	ManageAuditNHS             Key = "staff.manage.audit.nhs"
	ManageAuditStaff           Key = "staff.manage.audit.staff"
	ManageAuditDevice          Key = "staff.manage.audit.device"
	ManageAuditAction          Key = "staff.manage.audit.action"
	ManageAuditActionHint      Key = "staff.manage.audit.action_hint"
	ManageAuditFrom            Key = "staff.manage.audit.from"
	ManageAuditTo              Key = "staff.manage.audit.to"
	ManageDateHint             Key = "staff.manage.date_hint"
	ManageAnyDevice            Key = "staff.manage.any_device"
	ManageBadNHS               Key = "staff.manage.bad_nhs"
	ManageBadDate              Key = "staff.manage.bad_date"
	ManageDatesBackwards       Key = "staff.manage.dates_backwards"
	ManageSearch               Key = "staff.manage.search"
	ManageAuditNone            Key = "staff.manage.audit.none"
	ManageColWhen              Key = "staff.manage.col.when"
	ManageColWho               Key = "staff.manage.col.who"
	ManageColDevice            Key = "staff.manage.col.device"
	ManageColAction            Key = "staff.manage.col.action"
	ManageColSubject           Key = "staff.manage.col.subject"
	ManageOlder                Key = "staff.manage.older"
	ManageVerify               Key = "staff.manage.verify"
	ManageChecking             Key = "staff.manage.checking"
	ManageIntact               Key = "staff.manage.intact"
	ManageAltered              Key = "staff.manage.altered"
	ManageExportCSV            Key = "staff.manage.export_csv"
	ManageSavedTo              Key = "staff.manage.saved_to"
	ManageNotSaved             Key = "staff.manage.not_saved"
	ManageUptakeTitle          Key = "staff.manage.uptake.title"
	ManageUptakeNone           Key = "staff.manage.uptake.none"
	ManageLast6                Key = "staff.manage.last6"
	ManageLast12               Key = "staff.manage.last12"
	ManageChartBookings        Key = "staff.manage.chart.bookings"
	ManageChartRepeats         Key = "staff.manage.chart.repeats"
	ManageChartEnabled         Key = "staff.manage.chart.enabled"
	ManageFiguresTitle         Key = "staff.manage.figures.title"
	ManageFigure               Key = "staff.manage.figure"
	ManageFigListSize          Key = "staff.manage.fig.list_size"
	ManageFigApptsEnabled      Key = "staff.manage.fig.appts_enabled"
	ManageFigPrescEnabled      Key = "staff.manage.fig.presc_enabled"
	ManageFigRecordEnabled     Key = "staff.manage.fig.record_enabled"
	ManageFigAnyEnabled        Key = "staff.manage.fig.any_enabled"
	ManageFigPercent           Key = "staff.manage.fig.percent"
	ManageFigNewEnabled        Key = "staff.manage.fig.new_enabled"
	ManageFigNewBy             Key = "staff.manage.fig.new_by"
	ManageThisDesktop          Key = "staff.manage.this_desktop"
	ManageCommitment           Key = "staff.manage.commitment"
	ManageFigLetters           Key = "staff.manage.fig.letters"
	ManageFigBooked            Key = "staff.manage.fig.booked"
	ManageFigCancelled         Key = "staff.manage.fig.cancelled"
	ManageFigRepeats           Key = "staff.manage.fig.repeats"
	ManageFigCheckIns          Key = "staff.manage.fig.check_ins"
	ManageFigLessons           Key = "staff.manage.fig.lessons"
	ManageFigTotalUse          Key = "staff.manage.fig.total_use"
	ManageSaveMonthCSV         Key = "staff.manage.save_month_csv"
	ManageSavePDF              Key = "staff.manage.save_pdf"
)

func managerEnglish() map[Key]string {
	return map[Key]string{
		NavSettings:                "Settings",
		NavDevices:                 "Devices",
		NavStaffAccounts:           "Staff",
		NavAudit:                   "Audit log",
		NavUptake:                  "Uptake figures",
		ManageLoading:              "Asking the practice server…",
		ManageSending:              "Sending to the practice server…",
		ManageSaving:               "Saving…",
		ManageStale:                "Showing what this desktop last fetched, %s: the practice server cannot be reached.",
		ManageAgoNever:             "some time ago",
		ManageAgoNow:               "just now",
		ManageAgoMinute:            "1 minute ago",
		ManageAgoMinutes:           "%s minutes ago",
		ManageAgoHour:              "1 hour ago",
		ManageAgoHours:             "%s hours ago",
		ManageAgoDay:               "1 day ago",
		ManageAgoDays:              "%s days ago",
		ManageBack:                 "Back",
		ManageNext:                 "Next",
		ManageNoGoBack:             "No, go back",
		ManageSettingsTitle:        "Online services settings",
		ManageGroupBooking:         "Booking",
		ManageGroupTypes:           "Appointment types",
		ManageGroupRepeats:         "Repeat prescriptions",
		ManageGroupKiosk:           "Kiosk",
		ManageGroupLeases:          "Slots kept for kiosks",
		ManageUnitDays:             "days",
		ManageUnitMinutes:          "minutes",
		ManageUnitAppointments:     "appointments",
		ManageUnitYears:            "years",
		ManageUnitLetters:          "letters",
		ManageUnitSlots:            "slots",
		ManageBookingWindow:        "Booking window",
		ManageBookingWindowHelp:    "How many days ahead patients may book.",
		ManageMinNotice:            "Shortest notice",
		ManageMinNoticeHelp:        "How soon before it starts a patient may still book a time.",
		ManageCancelCutoff:         "Last time to cancel",
		ManageCancelCutoffHelp:     "How long before it starts a patient may still cancel here.",
		ManageMaxHeld:              "Most appointments at once, identity checked",
		ManageMaxHeldHelp:          "For patients whose identity was checked in full.",
		ManageMaxHeldUnchecked:     "Most appointments at once, not fully checked",
		ManageMaxHeldUncheckedHelp: "For patients whose identity was not checked in full.",
		ManageMinAge:               "Youngest age for online services",
		ManageMinAgeHelp:           "Younger patients need a parent or carer to act for them.",
		ManageTypeMinAge:           "Youngest",
		ManageTypeMaxAge:           "Oldest",
		ManageRepeatDays:           "Days to get a prescription ready",
		ManageRepeatDaysHelp:       "Patients are told it will be ready after this many days.",
		ManageNoteLength:           "Longest note with an order",
		ManageNoteLengthHelp:       "How much a patient may write to the practice with an order.",
		ManageLeasesPerDay:         "Slots each kiosk keeps for each day",
		ManageLeasesPerDayHelp:     "A kiosk can book these even when the server cannot be reached.",
		ManageLeaseReturn:          "Give slots back before they start",
		ManageLeaseReturnHelp:      "A slot not booked by then goes back to reception.",
		ManageLeaseIdle:            "Give slots back after no word",
		ManageLeaseIdleHelp:        "If a kiosk has not been in touch for this long, its slots go back.",
		ManagePIN:                  "Kiosk exit PIN",
		ManagePINHelp:              "Staff type it to close a kiosk. Leave blank to keep the PIN you have.",
		ManagePINHelpNone:          "Staff type it to close a kiosk. There is no PIN yet.",
		ManagePINNew:               "New PIN",
		ManagePINAgain:             "New PIN again",
		ManagePINDiffer:            "The two PINs are not the same. Type them again.",
		ManageWholeNumber:          "Type a whole number, such as 14.",
		ManageClockHint:            "HH:MM",
		ManageBadClock:             "Type a time of day such as 07:30.",
		ManageFixFields:            "Nothing was saved. Please fix these first:",
		ManageGroupDesktops:        "Staff desktops",
		ManageUnitSeconds:          "seconds",
		ManageRelease:              "When the furthest day opens",
		ManageReleaseHelp:          "The last day of the booking window opens for booking at this time each day.",
		ManageKioskIdle:            "Kiosk waits before starting again",
		ManageKioskIdleHelp:        "If nobody touches the kiosk for this long, it asks if they are still there.",
		ManageKioskWarning:         "Time to answer before it starts again",
		ManageKioskWarningHelp:     "How long the kiosk asks before it clears the screen for the next patient.",
		ManageReadAloud:            "Read aloud at the start of each visit",
		ManageReadAloudHelp:        "Patients can still turn reading aloud on or off themselves.",
		ManageStaffIdle:            "Sign staff out after no use",
		ManageStaffIdleHelp:        "A desktop left alone this long signs its member of staff out.",
		ManageMoreMarked:           "and %s more, marked above.",
		ManageSave:                 "Save settings",
		ManageSaved:                "Saved. Every kiosk and desktop will use these within a minute.",
		ManageDevicesTitle:         "Devices",
		ManageNoDevices:            "No devices are set up yet.",
		ManageKiosk:                "Kiosk",
		ManageDesktop:              "Desktop",
		ManageRevokedOn:            "Revoked %s",
		ManageLastSeen:             "last seen %s",
		ManageNeverSeen:            "not seen yet",
		ManageVersion:              "version %s",
		ManageNothingWaiting:       "nothing waiting to send",
		ManageOneWaiting:           "1 change waiting to send",
		ManageWaiting:              "%s changes waiting to send",
		ManageLeasesHeld:           "%s slots kept",
		ManageRename:               "Rename %s",
		ManageRevoke:               "Revoke %s",
		ManageAddDevice:            "Add a device",
		ManageWhichKind:            "What kind of device is it?",
		ManageKioskForPatients:     "A kiosk for patients",
		ManageDesktopForStaff:      "A desktop for staff",
		ManageDeviceName:           "What will the practice call it?",
		ManageDeviceNameHint:       "For example: Waiting room kiosk",
		ManageChooseKind:           "Choose a kiosk or a desktop.",
		ManageNameDevice:           "Give the device a name, so staff know which one it is.",
		ManageMakeCode:             "Make a set-up code",
		ManageCodeFor:              "Set-up code for %s",
		ManageCodeHow:              "On the new device, scan this QR code or type the code.",
		ManageCodeExpires:          "The code works once, until %s on %s.",
		ManageBackToDevices:        "Back to devices",
		ManageRenameTitle:          "Rename %s",
		ManageRenameAsk:            "Call %s by the new name %s?",
		ManageRenameYes:            "Yes, rename it",
		ManageRenamed:              "Done. The device is now called %s.",
		ManageRevokeTitle:          "Revoke %s?",
		ManageRevokeAsk:            "%s will stop working at once. To use it again, set it up with a new code.",
		ManageRevokeYes:            "Yes, revoke %s",
		ManageRevoked:              "Done. %s can no longer reach the practice server.",
		ManageStaffTitle:           "Staff accounts",
		ManageUsername:             "username %s",
		ManageActive:               "can sign in",
		ManageDisabled:             "turned off",
		ManagePasswordSet:          "password set",
		ManageNoPassword:           "no password yet",
		ManageDisable:              "Turn off",
		ManageEnable:               "Turn on",
		ManageResetPassword:        "New password",
		ManageChangeRole:           "Change role",
		ManageAddStaff:             "Add a member of staff",
		ManageAddStaffYes:          "Add them",
		ManageAdded:                "Done. %s can now sign in.",
		ManageUsernameLabel:        "Username",
		ManageUsernameHint:         "For example: jsmith",
		ManageFullName:             "Name",
		ManageFullNameHint:         "For example: Jo Smith",
		ManageRole:                 "Role",
		ManageUsernameNeeded:       "Type a username.",
		ManageNameNeeded:           "Type their name.",
		ManageRoleNeeded:           "Choose their role.",
		ManagePasswordNew:          "New password",
		ManagePasswordAgain:        "New password again",
		ManagePasswordNeeded:       "Type a new password.",
		ManagePasswordsDiffer:      "The two passwords are not the same. Type them again.",
		ManageDisableTitle:         "Turn off %s?",
		ManageDisableAsk:           "%s will not be able to sign in on any desktop.",
		ManageDisableYes:           "Yes, turn off %s",
		ManageDisabledDone:         "Done. %s can no longer sign in.",
		ManageEnabledDone:          "Done. %s can sign in again.",
		ManageResetTitle:           "New password for %s",
		ManageResetHelp:            "Give it to them in person. They should change it when they next sign in.",
		ManageResetYes:             "Save the new password",
		ManageResetDone:            "Done. %s has a new password.",
		ManageRoleTitle:            "Change the role of %s",
		ManageRoleAsk:              "Change %s from %s to %s?",
		ManageRoleYes:              "Yes, change it",
		ManageRoleSame:             "%s is already %s. Choose a new role.",
		ManageRoleDone:             "Done. %s is now %s.",
		ManageAuditTitle:           "Audit log",
		ManageAuditNHS:             "Patient's NHS number",
		ManageAuditStaff:           "Staff username",
		ManageAuditDevice:          "Device",
		ManageAuditAction:          "Action",
		ManageAuditActionHint:      "For example: staff.",
		ManageAuditFrom:            "From",
		ManageAuditTo:              "To",
		ManageDateHint:             "DD/MM/YYYY",
		ManageAnyDevice:            "Any device",
		ManageBadNHS:               "That is not an NHS number. Please check it.",
		ManageBadDate:              "%s is not a date. Type it as day, month and year, such as 08/06/2026.",
		ManageDatesBackwards:       "The From date is after the To date.",
		ManageSearch:               "Search",
		ManageAuditNone:            "Nothing in the log matches.",
		ManageColWhen:              "When",
		ManageColWho:               "Who",
		ManageColDevice:            "Device",
		ManageColAction:            "Action",
		ManageColSubject:           "Subject",
		ManageOlder:                "Older",
		ManageVerify:               "Check the log has not been altered",
		ManageChecking:             "Checking every entry…",
		ManageIntact:               "The audit log is intact: %s entries checked.",
		ManageAltered:              "The audit log has been altered at entry %s. Tell your data protection officer.",
		ManageExportCSV:            "Export as CSV",
		ManageSavedTo:              "Saved to %s",
		ManageNotSaved:             "This could not be saved in %s. Check the folder is there and try again.",
		ManageUptakeTitle:          "Uptake figures",
		ManageUptakeNone:           "There are no figures for these months yet.",
		ManageLast6:                "Last 6 months",
		ManageLast12:               "Last 12 months",
		ManageChartBookings:        "Appointments booked each month",
		ManageChartRepeats:         "Repeat orders each month",
		ManageChartEnabled:         "Share of the list using online services",
		ManageFiguresTitle:         "Every figure, by month",
		ManageFigure:               "Figure",
		ManageFigListSize:          "Patients on the list",
		ManageFigApptsEnabled:      "Can book online",
		ManageFigPrescEnabled:      "Can order repeats online",
		ManageFigRecordEnabled:     "Can see their full record",
		ManageFigAnyEnabled:        "Can use any online service",
		ManageFigPercent:           "Share of the list set up",
		ManageFigNewEnabled:        "Newly set up",
		ManageFigNewBy:             "Newly set up: %s",
		ManageThisDesktop:          "This desktop",
		ManageCommitment:           "National commitment: %s",
		ManageFigLetters:           "Letters printed",
		ManageFigBooked:            "Booked %s",
		ManageFigCancelled:         "Cancelled %s",
		ManageFigRepeats:           "Repeats ordered %s",
		ManageFigCheckIns:          "Check-ins at the kiosk",
		ManageFigLessons:           "Practice lessons done",
		ManageFigTotalUse:          "Online services used",
		ManageSaveMonthCSV:         "Save month as CSV",
		ManageSavePDF:              "Save report as PDF",
	}
}
