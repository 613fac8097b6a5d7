// The ns-3 twin of scenes/bench-chain.yaml, for `npm run bench` to compare packet-hops/s against:
// a client, eight routers and a server in a chain of nine 100 Mbps links with 1 ms latency;
// the client sends 20,000 UDP echo requests of 512 bytes, one every 0.5 ms, to port 7.
// Links are ns-3 point-to-point links (full duplex like Packetarium's; PPP framing, so no ARP: an
// ns-3 CSMA channel would be half duplex and collide requests with replies); routes come from
// global routing (static, as the scene's are). Every transmission on a link is
// counted through the PhyTxBegin trace source, as Packetarium records every frame in its trace.
// Prints one JSON line: echoes answered, packet-hops, events, wall time of Simulator::Run().
#include <chrono>
#include <cstdio>
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

using namespace ns3;

static uint64_t g_hops = 0;
static uint64_t g_echoes = 0;

static void CountHop(std::string, Ptr<const Packet>) { g_hops++; }
static void CountEcho(std::string, Ptr<const Packet>) { g_echoes++; }

int main(int argc, char* argv[]) {
  const int routers = 8;
  NodeContainer nodes;
  nodes.Create(routers + 2);  // client, r1..r8, server
  InternetStackHelper stack;
  stack.Install(nodes);

  PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
  p2p.SetChannelAttribute("Delay", TimeValue(MilliSeconds(1)));

  Ipv4AddressHelper addr;
  Ipv4InterfaceContainer last;
  for (int i = 0; i <= routers; i++) {
    NodeContainer pair(nodes.Get(i), nodes.Get(i + 1));
    NetDeviceContainer devs = p2p.Install(pair);
    char base[32];
    std::snprintf(base, sizeof base, "10.0.%d.0", i + 1);
    addr.SetBase(base, "255.255.255.0");
    last = addr.Assign(devs);
  }
  Ipv4GlobalRoutingHelper::PopulateRoutingTables();

  UdpEchoServerHelper server(7);
  ApplicationContainer s = server.Install(nodes.Get(routers + 1));
  s.Start(Seconds(0));
  UdpEchoClientHelper client(last.GetAddress(1), 7);
  client.SetAttribute("MaxPackets", UintegerValue(20000));
  client.SetAttribute("Interval", TimeValue(MicroSeconds(500)));
  client.SetAttribute("PacketSize", UintegerValue(512));
  ApplicationContainer c = client.Install(nodes.Get(0));
  c.Start(MilliSeconds(1));

  Config::Connect("/NodeList/*/DeviceList/*/$ns3::PointToPointNetDevice/PhyTxBegin", MakeCallback(&CountHop));
  Config::Connect("/NodeList/*/ApplicationList/*/$ns3::UdpEchoClient/Rx", MakeCallback(&CountEcho));
  Simulator::Stop(MilliSeconds(10100));
  auto t0 = std::chrono::steady_clock::now();
  Simulator::Run();
  auto t1 = std::chrono::steady_clock::now();
  double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  std::printf("{\"echoes\":%llu,\"packetHops\":%llu,\"events\":%llu,\"wallMs\":%.3f,\"packetHopsPerSec\":%.1f}\n",
              (unsigned long long)g_echoes, (unsigned long long)g_hops, (unsigned long long)Simulator::GetEventCount(), ms, g_hops / (ms / 1000.0));
  Simulator::Destroy();
  return 0;
}
