# Switchyard ruleset, rendered from the configuration.
# Switchyard applies exactly this, and touches nothing else on the gateway.

# Routing table names (/etc/iproute2/rt_tables.d/switchyard.conf)
#   10	fiber
#   20	cable
#   30	lte

# Routes, tagged "proto 201" (switchyard) so they can be told from foreign ones
# table fiber
ip route replace 100.70.1.0/29 dev wan-a scope link src 100.70.1.2 proto 201 table fiber
ip route replace 10.20.0.0/16 dev br-lan scope link src 10.20.0.1 proto 201 table fiber
ip route replace default via 100.70.1.1 dev wan-a proto 201 table fiber
# table cable
ip route replace 100.71.0.0/24 dev wan-b scope link src 100.71.0.20 proto 201 table cable
ip route replace 10.20.0.0/16 dev br-lan scope link src 10.20.0.1 proto 201 table cable
ip route replace default via 100.71.0.1 dev wan-b proto 201 table cable
# table lte
ip route replace 100.72.0.0/28 dev wan-c scope link src 100.72.0.9 proto 201 table lte
ip route replace 10.20.0.0/16 dev br-lan scope link src 10.20.0.1 proto 201 table lte
ip route replace default via 100.72.0.1 dev wan-c proto 201 table lte

# Policy rules, tagged "protocol 201": Switchyard owns these and no others
ip rule add priority 10000 to 10.20.0.0/16 lookup main protocol 201
ip rule add priority 10050 lookup main suppress_prefixlength 0 protocol 201
ip rule add priority 10100 fwmark 0x3/0xff lookup fiber protocol 201
ip rule add priority 10101 fwmark 0x4/0xff lookup cable protocol 201
ip rule add priority 10102 fwmark 0x5/0xff lookup lte protocol 201
ip rule add priority 10199 fwmark 0xff/0xff unreachable protocol 201
ip rule add priority 10200 from 100.70.1.2/32 lookup fiber protocol 201
ip rule add priority 10201 from 100.71.0.20/32 lookup cable protocol 201
ip rule add priority 10202 from 100.71.0.21/32 lookup cable protocol 201
ip rule add priority 10203 from 100.72.0.9/32 lookup lte protocol 201
ip rule add priority 10900 from 10.20.0.0/16 iif br-lan unreachable protocol 201

# Packet marks, connection marks and NAT, in Switchyard's own chains
iptables-restore --noflush <<'EOF'
*mangle
:SWYD-PRE - [0:0]
:SWYD-MARK - [0:0]
:SWYD-ISP10 - [0:0]
:SWYD-ISP20 - [0:0]
:SWYD-ISP30 - [0:0]
:SWYD-ACCT - [0:0]
:SWYD-TAIL - [0:0]
-A SWYD-PRE -i wan-a -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x3/0xff
-A SWYD-PRE -i wan-a -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i wan-b -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x4/0xff
-A SWYD-PRE -i wan-b -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i wan-c -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x5/0xff
-A SWYD-PRE -i wan-c -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i br-lan -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i br-lan -m mark ! --mark 0x0/0xff -j RETURN
-A SWYD-PRE -i br-lan -j SWYD-MARK
-A SWYD-PRE -i br-lan -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff
-A SWYD-MARK -s 10.20.5.25/32 -j SWYD-ISP20
-A SWYD-MARK -s 10.20.9.9/32 -j SWYD-ISP30
-A SWYD-MARK -m mark --mark 0x0/0xff -j SWYD-ISP10
-A SWYD-ISP10 -j MARK --set-xmark 0x3/0xff
-A SWYD-ISP20 -j MARK --set-xmark 0x4/0xff
-A SWYD-ISP30 -j MARK --set-xmark 0x5/0xff
-A SWYD-ACCT -o wan-a
-A SWYD-ACCT -i wan-a
-A SWYD-ACCT -o wan-b
-A SWYD-ACCT -i wan-b
-A SWYD-ACCT -o wan-c
-A SWYD-ACCT -i wan-c
-A SWYD-TAIL -i br-lan -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-TAIL -i wan-a -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-TAIL -i wan-b -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-TAIL -i wan-c -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
COMMIT
*nat
:SWYD-POST - [0:0]
-A SWYD-POST -s 10.20.5.25/32 -o wan-b -j SNAT --to-source 100.71.0.21
-A SWYD-POST -s 10.20.0.0/16 -o wan-a -j SNAT --to-source 100.70.1.2
-A SWYD-POST -s 10.20.0.0/16 -o wan-b -j SNAT --to-source 100.71.0.20
-A SWYD-POST -s 10.20.0.0/16 -o wan-c -j MASQUERADE
COMMIT
*filter
:SWYD-GUARD - [0:0]
-A SWYD-GUARD -i br-lan -o wan-a -m mark --mark 0x0/0xff -j REJECT --reject-with icmp-net-unreachable
-A SWYD-GUARD -i br-lan -o wan-b -m mark --mark 0x0/0xff -j REJECT --reject-with icmp-net-unreachable
-A SWYD-GUARD -i br-lan -o wan-c -m mark --mark 0x0/0xff -j REJECT --reject-with icmp-net-unreachable
COMMIT
EOF

# One jump from each built-in chain into Switchyard's (the mark re-assertion goes last)
iptables -t mangle -C PREROUTING -j SWYD-PRE 2>/dev/null || iptables -t mangle -I PREROUTING 1 -j SWYD-PRE
iptables -t mangle -C FORWARD -j SWYD-ACCT 2>/dev/null || iptables -t mangle -I FORWARD 1 -j SWYD-ACCT
iptables -t nat -C POSTROUTING -j SWYD-POST 2>/dev/null || iptables -t nat -I POSTROUTING 1 -j SWYD-POST
iptables -t mangle -C PREROUTING -j SWYD-TAIL 2>/dev/null || iptables -t mangle -A PREROUTING -j SWYD-TAIL
iptables -t filter -C FORWARD -j SWYD-GUARD 2>/dev/null || iptables -t filter -I FORWARD 1 -j SWYD-GUARD
