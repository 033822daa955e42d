-- LANs beside the main one (a guest network, a VLAN): JSON list of {name, interface, subnets, defaultIsp?, defaultPolicy?}
ALTER TABLE "Settings" ADD COLUMN "lans" TEXT NOT NULL DEFAULT '[]';
