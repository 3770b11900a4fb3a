package filter

// The qualifiers that libpcap's grammar attaches to an identifier: a
// protocol (ip, tcp, ether...), a direction (src, dst...) and an address
// kind (host, net, port...). qUndef in every field is libpcap's "qerr":
// the qualifier block of a term that cannot lend its qualifiers to a
// following bare identifier.

type qproto int

const (
	pDefault qproto = iota
	pUndef
	pLink
	pIP
	pARP
	pRARP
	pSCTP
	pTCP
	pUDP
	pICMP
	pIGMP
	pIGRP
	pATALK
	pDECNET
	pLAT
	pSCA
	pMOPRC
	pMOPDL
	pIPV6
	pICMPV6
	pAH
	pESP
	pPIM
	pVRRP
	pAARP
	pISO
	pESIS
	pISIS
	pCLNP
	pSTP
	pIPX
	pNETBEUI
	pL1
	pL2
	pIIH
	pSNP
	pCSNP
	pPSNP
	pLSP
	pRADIO
	pCARP
)

// protoKeywords maps the canonical protocol keywords to their qualifier.
var protoKeywords = map[string]qproto{
	"link": pLink, "ip": pIP, "arp": pARP, "rarp": pRARP, "sctp": pSCTP,
	"tcp": pTCP, "udp": pUDP, "icmp": pICMP, "igmp": pIGMP, "igrp": pIGRP,
	"pim": pPIM, "vrrp": pVRRP, "carp": pCARP, "atalk": pATALK, "aarp": pAARP,
	"decnet": pDECNET, "lat": pLAT, "sca": pSCA, "mopdl": pMOPDL,
	"moprc": pMOPRC, "ip6": pIPV6, "icmp6": pICMPV6, "ah": pAH, "esp": pESP,
	"iso": pISO, "esis": pESIS, "isis": pISIS, "l1": pL1, "l2": pL2,
	"iih": pIIH, "lsp": pLSP, "snp": pSNP, "psnp": pPSNP, "csnp": pCSNP,
	"clnp": pCLNP, "stp": pSTP, "ipx": pIPX, "netbeui": pNETBEUI,
	"radio": pRADIO,
}

// protoNames is how libpcap names each protocol qualifier in messages.
var protoNames = map[qproto]string{
	pLink: "link", pIP: "ip", pARP: "arp", pRARP: "rarp", pSCTP: "sctp",
	pTCP: "tcp", pUDP: "udp", pICMP: "icmp", pIGMP: "igmp", pIGRP: "igrp",
	pPIM: "pim", pVRRP: "vrrp", pCARP: "carp", pATALK: "atalk",
	pAARP: "aarp", pDECNET: "decnet", pLAT: "lat", pSCA: "sca",
	pMOPDL: "mopdl", pMOPRC: "moprc", pIPV6: "ip6", pICMPV6: "icmp6",
	pAH: "ah", pESP: "esp", pISO: "iso", pESIS: "esis", pISIS: "isis",
	pL1: "l1", pL2: "l2", pIIH: "iih", pLSP: "lsp", pSNP: "snp",
	pPSNP: "psnp", pCSNP: "csnp", pCLNP: "clnp", pSTP: "stp", pIPX: "ipx",
	pNETBEUI: "netbeui", pRADIO: "radio",
}

type qdir int

const (
	dDefault qdir = iota
	dUndef
	dSrc
	dDst
	dOr
	dAnd
	dAddr1
	dAddr2
	dAddr3
	dAddr4
	dRA
	dTA
)

type qaddr int

const (
	aDefault qaddr = iota
	aUndef
	aHost
	aNet
	aPort
	aGateway
	aProto
	aProtochain
	aPortrange
)

// qual is one qualifier block.
type qual struct {
	proto qproto
	dir   qdir
	addr  qaddr
}

var qerr = qual{pUndef, dUndef, aUndef}
