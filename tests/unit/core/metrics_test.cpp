// Metrics: the Prometheus text format (version 0.0.4) of counters, gauges and
// histograms, and Counter handles that count without a lock.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"

namespace sb {
namespace {

bool contains(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST(Metrics, CountersRenderHelpTypeAndLabelledSamples) {
  Metrics metrics;
  metrics.increment(Metrics::kHttpRequests, {{"route", "/healthz"}, {"status", "200"}});
  metrics.increment(Metrics::kHttpRequests, {{"route", "/healthz"}, {"status", "200"}}, 2);
  const std::string text = metrics.render();
  EXPECT_TRUE(contains(text, "# HELP switchboard_http_requests_total "));
  EXPECT_TRUE(contains(text, "# TYPE switchboard_http_requests_total counter\n"));
  EXPECT_TRUE(contains(text, "switchboard_http_requests_total{route=\"/healthz\",status=\"200\"} 3\n")) << text;
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics metrics;
  metrics.increment(Metrics::kHttpRequests, {{"route", "a\"b\\c\nd"}, {"status", "404"}});
  EXPECT_TRUE(contains(metrics.render(), "{route=\"a\\\"b\\\\c\\nd\",status=\"404\"} 1\n")) << metrics.render();
}

TEST(Metrics, CounterHandlesShareTheSeriesAndLoseNoIncrementAcrossThreads) {
  Metrics metrics;
  const Metrics::Counter hits = metrics.counter(Metrics::kStatusCache, {{"provider", "github"}, {"result", "hit"}});
  metrics.increment(Metrics::kStatusCache, {{"provider", "github"}, {"result", "hit"}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) hits.add();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(contains(metrics.render(), "switchboard_status_cache_total{provider=\"github\",result=\"hit\"} 40001\n"))
      << metrics.render();
}

TEST(Metrics, HandlesForUnknownOrNonCounterFamiliesCountNothing) {
  Metrics metrics;
  Metrics::Counter unknown = metrics.counter("no_such_family_total", {});
  Metrics::Counter histogram = metrics.counter(Metrics::kAdapterLatency, {{"provider", "github"}});
  Metrics::Counter unset;
  unknown.add();
  histogram.add();
  unset.add();
  const std::string text = metrics.render();
  EXPECT_FALSE(contains(text, "no_such_family_total"));
  EXPECT_FALSE(contains(text, "switchboard_adapter_latency_seconds{provider=\"github\"}"));
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Metrics metrics;
  metrics.observe(Metrics::kAdapterLatency, {{"provider", "vercel"}}, 0.004);
  metrics.observe(Metrics::kAdapterLatency, {{"provider", "vercel"}}, 0.2);
  metrics.observe(Metrics::kAdapterLatency, {{"provider", "vercel"}}, 30);
  const std::string text = metrics.render();
  const std::string name = "switchboard_adapter_latency_seconds";
  EXPECT_TRUE(contains(text, "# TYPE " + name + " histogram\n"));
  EXPECT_TRUE(contains(text, name + "_bucket{provider=\"vercel\",le=\"0.005\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, name + "_bucket{provider=\"vercel\",le=\"0.1\"} 1\n"));
  EXPECT_TRUE(contains(text, name + "_bucket{provider=\"vercel\",le=\"0.25\"} 2\n"));
  EXPECT_TRUE(contains(text, name + "_bucket{provider=\"vercel\",le=\"10\"} 2\n"));
  EXPECT_TRUE(contains(text, name + "_bucket{provider=\"vercel\",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(contains(text, name + "_sum{provider=\"vercel\"} 30.204\n")) << text;
  EXPECT_TRUE(contains(text, name + "_count{provider=\"vercel\"} 3\n"));
}

TEST(Metrics, GaugeCollectorsRunAtScrapeTime) {
  Metrics metrics;
  int scrapes = 0;
  metrics.setGaugeCollector(Metrics::kBreakers, [&scrapes] {
    ++scrapes;
    return Metrics::GaugeSamples{{{{"provider", "sanity"}, {"state", "open"}}, 1}};
  });
  EXPECT_TRUE(contains(metrics.render(), "switchboard_breakers{provider=\"sanity\",state=\"open\"} 1\n"));
  metrics.render();
  EXPECT_EQ(scrapes, 2);
}

}  // namespace
}  // namespace sb
