package filter

// Fixed name tables. libpcap asks the system (/etc/protocols,
// /etc/services, /etc/ethers, DNS); wirekit never does name resolution and
// knows only these names, taken from Debian's netbase.

// ipProtos maps IP protocol names to numbers.
var ipProtos = map[string]uint32{
	"ip": 0, "hopopt": 0, "icmp": 1, "igmp": 2, "ggp": 3, "ipencap": 4, "st": 5,
	"tcp": 6, "egp": 8, "igp": 9, "pup": 12, "udp": 17, "hmp": 20, "xns-idp": 22,
	"rdp": 27, "iso-tp4": 29, "dccp": 33, "xtp": 36, "ddp": 37, "idpr-cmtp": 38,
	"ipv6": 41, "ipv6-route": 43, "ipv6-frag": 44, "idrp": 45, "rsvp": 46,
	"gre": 47, "esp": 50, "ah": 51, "skip": 57, "ipv6-icmp": 58,
	"ipv6-nonxt": 59, "ipv6-opts": 60, "rspf": 73, "vmtp": 81, "eigrp": 88,
	"ospf": 89, "ax.25": 93, "ipip": 94, "etherip": 97, "encap": 98,
	"pim": 103, "ipcomp": 108, "vrrp": 112, "l2tp": 115, "isis": 124,
	"sctp": 132, "fc": 133, "mobility-header": 135, "udplite": 136,
	"mpls-in-ip": 137, "manet": 138, "hip": 139, "shim6": 140, "wesp": 141,
	"rohc": 142, "ethernet": 143,
}

// etherProtos maps the Ethernet type names libpcap knows to numbers.
var etherProtos = map[string]uint32{
	"ip": 0x0800, "ip6": 0x86dd, "arp": 0x0806, "rarp": 0x8035,
	"atalk": 0x809b, "aarp": 0x80f3, "decnet": 0x6003, "sca": 0x6007,
	"lat": 0x6004, "mopdl": 0x6001, "moprc": 0x6002, "loopback": 0x9000,
}

// service is a well-known port; tcp/udp say which protocols list it.
type service struct {
	port     uint32
	tcp, udp bool
}

// services is a small fixed subset of /etc/services.
var services = map[string]service{
	"ftp-data": {20, true, false}, "ftp": {21, true, false},
	"ssh": {22, true, false}, "telnet": {23, true, false},
	"smtp": {25, true, false}, "domain": {53, true, true},
	"bootps": {67, false, true}, "bootpc": {68, false, true},
	"tftp": {69, false, true}, "http": {80, true, false},
	"www": {80, true, false}, "kerberos": {88, true, true},
	"pop3": {110, true, false}, "sunrpc": {111, true, true},
	"ntp": {123, false, true}, "netbios-ns": {137, false, true},
	"netbios-dgm": {138, false, true}, "netbios-ssn": {139, true, false},
	"imap2": {143, true, false}, "imap": {143, true, false},
	"snmp": {161, true, true}, "snmp-trap": {162, true, true},
	"bgp": {179, true, false}, "ldap": {389, true, true},
	"https": {443, true, true}, "microsoft-ds": {445, true, false},
	"isakmp": {500, false, true}, "syslog": {514, false, true},
	"submission": {587, true, false}, "ldaps": {636, true, true},
	"imaps": {993, true, false}, "pop3s": {995, true, false},
	"openvpn": {1194, true, true}, "mysql": {3306, true, false},
	"ipsec-nat-t": {4500, false, true}, "sip": {5060, true, true},
	"postgresql": {5432, true, false}, "x11": {6000, true, false},
}
