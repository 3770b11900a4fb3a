package decode

// Syslog (RFC 3164, RFC 5424) over UDP 514, printed as tcpdump prints it:
// facility and severity from the "<PRI>" prefix; -v adds the message.

var syslogSeverities = [8]string{"emergency", "alert", "critical", "error", "warning",
	"notice", "info", "debug"}

var syslogFacilities = [24]string{"kernel", "user", "mail", "daemon", "auth", "syslog", "lpr",
	"news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "cron",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}

// syslog prints a syslog message d (length bytes on the wire).
func (p *Printer) syslog(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "syslog")
	}
	if d[0] != '<' {
		return append(b, " (invalid)"...)
	}
	off, pri := 1, 0
	for ; off <= 3; off++ {
		if off >= len(d) {
			return appendTrunc(b, "syslog")
		}
		if d[off] < '0' || d[off] > '9' {
			break
		}
		pri = pri*10 + int(d[off]-'0')
	}
	if off >= len(d) {
		return appendTrunc(b, "syslog")
	}
	if d[off] != '>' {
		return append(b, " (invalid)"...)
	}
	off++
	fac, sev := (pri&0x3f8)>>3, pri&7
	if p.opts.Verbose < 1 {
		b = append(b, "SYSLOG "...)
		b = appendSyslogName(b, fac, syslogFacilities[:])
		b = append(b, '.')
		b = appendSyslogName(b, sev, syslogSeverities[:])
		b = append(b, ", length: "...)
		return appendInt(b, length)
	}
	b = append(b, "SYSLOG, length: "...)
	b = appendInt(b, length)
	b = append(b, "\n\tFacility "...)
	b = appendSyslogName(b, fac, syslogFacilities[:])
	b = append(b, " ("...)
	b = appendInt(b, fac)
	b = append(b, "), Severity "...)
	b = appendSyslogName(b, sev, syslogSeverities[:])
	b = append(b, " ("...)
	b = appendInt(b, sev)
	b = append(b, ")\n\tMsg: "...)
	for i := off; i < length; i++ {
		if i >= len(d) {
			return appendTrunc(b, "syslog")
		}
		b = appendCharJNP(b, d[i])
	}
	if p.opts.Verbose > 1 {
		b = appendUnknownData(b, d, "\n\t", length)
	}
	return b
}

func appendSyslogName(b []byte, v int, names []string) []byte {
	if v < len(names) {
		return append(b, names[v]...)
	}
	b = append(b, "unknown ("...)
	b = appendInt(b, v)
	return append(b, ')')
}
