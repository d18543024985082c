// Process metrics in the Prometheus text exposition format (version 0.0.4),
// served by GET /metrics: counters, gauges and histograms with labels.
// Families are declared once (name, help, type); samples are keyed by their
// rendered label set. Gauges that describe state elsewhere (breakers) are
// produced at scrape time by collectors.
// Thread-safety: every method may be called from any thread; a Counter too.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sb {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  Metrics();

  void declareCounter(const std::string& name, const std::string& help);
  void declareGauge(const std::string& name, const std::string& help);
  void declareHistogram(const std::string& name, const std::string& help, std::vector<double> buckets);

  void increment(const std::string& name, const MetricLabels& labels, double by = 1);

  // One counter series, resolved once for a hot path: add() takes no lock.
  // Valid while the Metrics lives; a default-constructed one, or one for a
  // family that is not a declared counter, ignores add().
  class Counter {
   public:
    Counter() = default;
    void add(double by = 1) const {
      if (value_ != nullptr) value_->fetch_add(by, std::memory_order_relaxed);
    }

   private:
    friend class Metrics;
    explicit Counter(std::atomic<double>* value) : value_(value) {}
    std::atomic<double>* value_ = nullptr;
  };
  Counter counter(const std::string& name, const MetricLabels& labels);
  void observe(const std::string& name, const MetricLabels& labels, double value);

  // A collector returns gauge samples for a declared gauge at scrape time;
  // they replace whatever the family held.
  using GaugeSamples = std::vector<std::pair<MetricLabels, double>>;
  void setGaugeCollector(const std::string& name, std::function<GaugeSamples()> collector);

  std::string render() const;  // text/plain; version=0.0.4

  // The names Switchboard records (declared by the constructor).
  static constexpr const char* kHttpRequests = "switchboard_http_requests_total";
  static constexpr const char* kAdapterLatency = "switchboard_adapter_latency_seconds";
  static constexpr const char* kStatusCache = "switchboard_status_cache_total";
  static constexpr const char* kAdapterTimeouts = "switchboard_adapter_timeouts_total";
  static constexpr const char* kAdapterCalls = "switchboard_adapter_calls_total";
  static constexpr const char* kBreakers = "switchboard_breakers";
  static constexpr const char* kHttpStreamsDropped = "switchboard_http_streams_dropped_total";
  static constexpr const char* kHttpRequestTimeouts = "switchboard_http_request_timeouts_total";
  static constexpr const char* kHttpOverloaded = "switchboard_http_overloaded_total";
  static constexpr const char* kHttpConnectionsRefused = "switchboard_http_connections_refused_total";

 private:
  enum class Type { Counter, Gauge, Histogram };
  struct Histogram {
    std::vector<std::uint64_t> bucketCounts;  // cumulative at render time, per-bucket here
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    Type type = Type::Counter;
    std::string help;
    std::vector<double> buckets;
    std::map<std::string, std::atomic<double>> values;  // counters and gauges, by rendered labels (nodes never move)
    std::map<std::string, Histogram> histograms;  // by rendered labels
    std::function<GaugeSamples()> collector;
  };

  static std::string renderLabels(const MetricLabels& labels);
  // The value of a counter (or, unless countersOnly, gauge) series, created
  // at 0 on first use; null for an unknown family or a histogram.
  std::atomic<double>* series(const std::string& name, const MetricLabels& labels, bool countersOnly);
  void declare(const std::string& name, Type type, const std::string& help, std::vector<double> buckets = {});

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace sb
