#!/bin/bash
# Sets up the CUPS queues the letter printing tests use (docs/printing.md).
# Usage: cups-test-queue.sh [output-dir] [pdf-queue] [off-queue]
#   GPKiosk-PDF  cups-pdf, writing each job to $OUT as job_<id>-<title>.pdf
#   GPKiosk-Off  a printer that is switched off: nothing listens on its
#                port, so CUPS stops the queue as it would a real one
# Starts cupsd when it is not running (no systemd in containers).
# Safe to run again: queues are re-created and re-enabled each time.
set -euo pipefail

OUT=${1:-/var/spool/cups-pdf/gpkiosk-test}
PDF_QUEUE=${2:-GPKiosk-PDF}
OFF_QUEUE=${3:-GPKiosk-Off}

for c in cupsd lpadmin lpstat cupsenable cupsaccept; do
	command -v "$c" >/dev/null || { echo "cups-test-queue: $c is missing (make deps installs cups and cups-client)"; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "cups-test-queue: run as root: it starts cupsd and adds printers"; exit 1; }

if ! LC_ALL=C lpstat -r 2>/dev/null | grep -q 'is running'; then
	echo "Starting cupsd"
	cupsd
	for _ in $(seq 1 60); do
		LC_ALL=C lpstat -r 2>/dev/null | grep -q 'is running' && break
		sleep 0.25
	done
	LC_ALL=C lpstat -r 2>/dev/null | grep -q 'is running' || { echo "cups-test-queue: cupsd did not start; see /var/log/cups/error_log"; exit 1; }
fi

# CUPS 2.4 warns on every lpadmin with a PPD that drivers are deprecated;
# the warning is not for us, other output is.
lpadmin_quiet() {
	local out
	out=$(lpadmin "$@" 2>&1) || { echo "$out" >&2; return 1; }
	grep -v 'drivers are deprecated' <<<"$out" || true
}

ppd=/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd
[ -r "$ppd" ] || { echo "cups-test-queue: $ppd is missing (install printer-driver-cups-pdf)"; exit 1; }

# The URI cups-pdf:/gpkiosk makes cups-pdf read cups-pdf-gpkiosk.conf, so
# the system's own cups-pdf.conf stays as it was. Label 1 puts the job id
# in the file name, so a test finds its own job's output.
mkdir -p "$OUT"
chmod 0755 "$OUT"
cat >/etc/cups/cups-pdf-gpkiosk.conf <<EOF
Out $OUT
Label 1
TitlePref 1
EOF

# Leftover jobs from an interrupted run would print into the next one.
cancel -a "$PDF_QUEUE" 2>/dev/null || true
cancel -a "$OFF_QUEUE" 2>/dev/null || true

lpadmin_quiet -p "$PDF_QUEUE" -E -v cups-pdf:/gpkiosk -P "$ppd" -D "GP Kiosk test PDF printer"
# contimeout=2: give up connecting after 2 s instead of retrying for days;
# the default error policy (stop-printer) then stops the queue.
lpadmin_quiet -p "$OFF_QUEUE" -E -v 'socket://127.0.0.1:9/?contimeout=2' -P "$ppd" \
	-o printer-error-policy=stop-printer -D "GP Kiosk test printer that is off"
for q in "$PDF_QUEUE" "$OFF_QUEUE"; do
	cupsenable "$q"
	cupsaccept "$q"
done
echo "CUPS test queues ready: $PDF_QUEUE (output in $OUT), $OFF_QUEUE"
