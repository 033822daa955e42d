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

# Packet marks, connection marks and NAT, in Switchyard's own chains
iptables-restore --noflush <<'EOF'
*mangle
:SWYD-PRE - [0:0]
:SWYD-MARK - [0:0]
:SWYD-ISP100 - [0:0]
:SWYD-ISP200 - [0:0]
:SWYD-ACCT - [0:0]
:SWYD-TAIL - [0:0]
-A SWYD-PRE -i eth0 -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x1/0xff
-A SWYD-PRE -i eth0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i eth1 -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x2/0xff
-A SWYD-PRE -i eth1 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i lan0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-PRE -i lan0 -m mark ! --mark 0x0/0xff -j RETURN
-A SWYD-PRE -i lan0 -j SWYD-MARK
-A SWYD-PRE -i lan0 -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff
-A SWYD-MARK -s 192.168.1.100/32 -j SWYD-ISP100
-A SWYD-MARK -s 192.168.1.101/32 -j SWYD-ISP200
-A SWYD-MARK -m mark --mark 0x0/0xff -j SWYD-ISP100
-A SWYD-ISP100 -j MARK --set-xmark 0x1/0xff
-A SWYD-ISP200 -j MARK --set-xmark 0x2/0xff
-A SWYD-ACCT -o eth0
-A SWYD-ACCT -i eth0
-A SWYD-ACCT -o eth1
-A SWYD-ACCT -i eth1
-A SWYD-TAIL -i lan0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-TAIL -i eth0 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A SWYD-TAIL -i eth1 -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
COMMIT
*nat
:SWYD-POST - [0:0]
-A SWYD-POST -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.10
-A SWYD-POST -s 192.168.1.0/24 -o eth1 -j SNAT --to-source 198.51.100.10
COMMIT
*filter
:SWYD-GUARD - [0:0]
-A SWYD-GUARD -i lan0 -o eth0 -m mark --mark 0x0/0xff -j REJECT --reject-with icmp-net-unreachable
-A SWYD-GUARD -i lan0 -o eth1 -m mark --mark 0x0/0xff -j REJECT --reject-with icmp-net-unreachable
COMMIT
EOF

# One jump from each built-in chain into Switchyard's (the mark re-assertion goes last)
iptables -t mangle -C PREROUTING -j SWYD-PRE 2>/dev/null || iptables -t mangle -I PREROUTING 1 -j SWYD-PRE
iptables -t mangle -C FORWARD -j SWYD-ACCT 2>/dev/null || iptables -t mangle -I FORWARD 1 -j SWYD-ACCT
iptables -t nat -C POSTROUTING -j SWYD-POST 2>/dev/null || iptables -t nat -I POSTROUTING 1 -j SWYD-POST
iptables -t mangle -C PREROUTING -j SWYD-TAIL 2>/dev/null || iptables -t mangle -A PREROUTING -j SWYD-TAIL
iptables -t filter -C FORWARD -j SWYD-GUARD 2>/dev/null || iptables -t filter -I FORWARD 1 -j SWYD-GUARD
