# Switchyard ruleset, rendered from the configuration.
# Switchyard applies exactly this, and touches nothing else on the gateway.

# Routing table names (/etc/iproute2/rt_tables.d/switchyard.conf)
#   100	ISP1
#   200	ISP2

# Routes, tagged "proto 201" (switchyard) so they can be told from foreign ones
# table ISP1
ip route replace 203.0.113.0/24 dev eth0 scope link src 203.0.113.10 proto 201 table ISP1
ip route replace 192.168.1.0/24 dev lan0 scope link src 192.168.1.1 proto 201 table ISP1
ip route replace default via 203.0.113.1 dev eth0 proto 201 table ISP1
# table ISP2
ip route replace 198.51.100.0/24 dev eth1 scope link src 198.51.100.10 proto 201 table ISP2
ip route replace 192.168.1.0/24 dev lan0 scope link src 192.168.1.1 proto 201 table ISP2
ip route replace default via 198.51.100.1 dev eth1 proto 201 table ISP2

# Policy rules, tagged "protocol 201": Switchyard owns these and no others
ip rule add priority 10000 to 192.168.1.0/24 lookup main protocol 201
ip rule add priority 10050 lookup main suppress_prefixlength 0 protocol 201
ip rule add priority 10100 fwmark 0x1/0xff lookup ISP1 protocol 201
ip rule add priority 10101 fwmark 0x2/0xff lookup ISP2 protocol 201
ip rule add priority 10199 fwmark 0xff/0xff unreachable protocol 201
ip rule add priority 10200 from 203.0.113.10/32 lookup ISP1 protocol 201
ip rule add priority 10201 from 198.51.100.10/32 lookup ISP2 protocol 201
ip rule add priority 10900 from 192.168.1.0/24 iif lan0 unreachable protocol 201

# Packet marks, connection marks and NAT, in Switchyard's own nftables table: replaced as one
# transaction (nothing else in the ruleset is touched; hosts are one map lookup per new connection)
nft -f - <<'EOF'
add table inet switchyard
delete table inet switchyard
table inet switchyard {
	map SWYD-HOSTS {
		type ipv4_addr : verdict
		counter
		elements = { 192.168.1.100 : jump SWYD-ISP100,
			     192.168.1.101 : jump SWYD-ISP200 }
	}

	map SWYD-RESTORE {
		type mark : verdict
		elements = { 0x00000001 : jump SWYD-M1,
			     0x00000002 : jump SWYD-M2,
			     0x000000ff : jump SWYD-Mff }
	}

	map SWYD-SAVE {
		type mark : verdict
		elements = { 0x00000001 : jump SWYD-C1,
			     0x00000002 : jump SWYD-C2,
			     0x000000ff : jump SWYD-Cff }
	}

	chain SWYD-PRE {
		type filter hook prerouting priority -150; policy accept;
		iifname "eth0" ct state new ct mark set ct mark & 0xffffff01 | 0x00000001
		iifname "eth0" ct mark & 0x000000ff vmap @SWYD-RESTORE
		iifname "eth1" ct state new ct mark set ct mark & 0xffffff02 | 0x00000002
		iifname "eth1" ct mark & 0x000000ff vmap @SWYD-RESTORE
		iifname "lan0" ct mark & 0x000000ff vmap @SWYD-RESTORE
		iifname "lan0" meta mark & 0x000000ff != 0x00000000 return
		iifname "lan0" jump SWYD-MARK
		iifname "lan0" meta mark & 0x000000ff vmap @SWYD-SAVE
	}

	chain SWYD-MARK {
		ip saddr vmap @SWYD-HOSTS
		meta mark & 0x000000ff == 0x00000000 jump SWYD-ISP100
	}

	chain SWYD-ISP100 {
		meta mark set meta mark & 0xffffff01 | 0x00000001
	}

	chain SWYD-ISP200 {
		meta mark set meta mark & 0xffffff02 | 0x00000002
	}

	chain SWYD-M1 {
		meta mark set meta mark & 0xffffff01 | 0x00000001
	}

	chain SWYD-M2 {
		meta mark set meta mark & 0xffffff02 | 0x00000002
	}

	chain SWYD-Mff {
		meta mark set meta mark | 0x000000ff
	}

	chain SWYD-C1 {
		ct mark set ct mark & 0xffffff01 | 0x00000001
	}

	chain SWYD-C2 {
		ct mark set ct mark & 0xffffff02 | 0x00000002
	}

	chain SWYD-Cff {
		ct mark set ct mark | 0x000000ff
	}

	chain SWYD-TAIL {
		type filter hook prerouting priority -140; policy accept;
		iifname "lan0" ct mark & 0x000000ff vmap @SWYD-RESTORE
		iifname "eth0" ct mark & 0x000000ff vmap @SWYD-RESTORE
		iifname "eth1" ct mark & 0x000000ff vmap @SWYD-RESTORE
	}

	chain SWYD-ACCT {
		type filter hook forward priority -150; policy accept;
		oifname "eth0" counter
		iifname "eth0" counter
		oifname "eth1" counter
		iifname "eth1" counter
	}

	chain SWYD-POST {
		type nat hook postrouting priority 95; policy accept;
		ip saddr 192.168.1.0/24 oifname "eth0" snat ip to 203.0.113.10
		ip saddr 192.168.1.0/24 oifname "eth1" snat ip to 198.51.100.10
	}

	chain SWYD-GUARD {
		type filter hook forward priority 0; policy accept;
		iifname "lan0" oifname "eth0" meta mark & 0x000000ff == 0x00000000 reject with icmp net-unreachable
		iifname "lan0" oifname "eth1" meta mark & 0x000000ff == 0x00000000 reject with icmp net-unreachable
	}
}
EOF
