// See metrics.hpp.
#include "core/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace sb {
namespace {

// Label values escape backslash, double quote and newline (exposition format).
std::string escapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string formatNumber(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

// `{a="1"}` + le -> `{a="1",le="0.1"}`.
std::string withLabel(const std::string& rendered, const std::string& name, const std::string& value) {
  const std::string extra = name + "=\"" + value + "\"";
  if (rendered.empty()) return "{" + extra + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

Metrics::Metrics() {
  declareCounter(kHttpRequests, "HTTP requests served, by route pattern and status code.");
  declareHistogram(kAdapterLatency, "Latency of provider adapter calls (on_status), by provider.",
                   {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  declareCounter(kStatusCache, "Status cache lookups by provider and result (hit, stale, miss).");
  declareCounter(kAdapterTimeouts, "Adapter calls that missed their deadline, by provider.");
  declareCounter(kAdapterCalls, "Adapter calls by provider and outcome (ok, failed, timeout).");
  declareGauge(kBreakers, "Circuit breakers by provider and state (closed, open, half_open).");
  declareCounter(kHttpStreamsDropped, "Streaming replies cut off because the client did not read fast enough.");
  declareCounter(kHttpRequestTimeouts, "Requests answered 408 because their head or body did not arrive in time.");
  declareCounter(kHttpOverloaded, "Requests answered 503 because every worker was busy and the queue full.");
  declareCounter(kHttpConnectionsRefused, "Connections refused with 503 by max_connections or max_connections_per_client.");
}

void Metrics::declare(const std::string& name, Type type, const std::string& help, std::vector<double> buckets) {
  std::lock_guard lock(mutex_);
  Family& family = families_[name];
  family.type = type;
  family.help = help;
  family.buckets = std::move(buckets);
}

void Metrics::declareCounter(const std::string& name, const std::string& help) { declare(name, Type::Counter, help); }
void Metrics::declareGauge(const std::string& name, const std::string& help) { declare(name, Type::Gauge, help); }
void Metrics::declareHistogram(const std::string& name, const std::string& help, std::vector<double> buckets) {
  declare(name, Type::Histogram, help, std::move(buckets));
}

std::string Metrics::renderLabels(const MetricLabels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first + "=\"" + escapeLabelValue(labels[i].second) + "\"";
  }
  return out + "}";
}

std::atomic<double>* Metrics::series(const std::string& name, const MetricLabels& labels, bool countersOnly) {
  const std::string key = renderLabels(labels);
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end() || it->second.type == Type::Histogram) return nullptr;
  if (countersOnly && it->second.type != Type::Counter) return nullptr;
  return &it->second.values.try_emplace(key, 0.0).first->second;
}

void Metrics::increment(const std::string& name, const MetricLabels& labels, double by) {
  if (std::atomic<double>* value = series(name, labels, false)) value->fetch_add(by, std::memory_order_relaxed);
}

Metrics::Counter Metrics::counter(const std::string& name, const MetricLabels& labels) {
  return Counter(series(name, labels, true));
}

void Metrics::observe(const std::string& name, const MetricLabels& labels, double value) {
  const std::string key = renderLabels(labels);
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end() || it->second.type != Type::Histogram) return;
  Family& family = it->second;
  Histogram& histogram = family.histograms[key];
  if (histogram.bucketCounts.empty()) histogram.bucketCounts.assign(family.buckets.size(), 0);
  for (std::size_t i = 0; i < family.buckets.size(); ++i) {
    if (value <= family.buckets[i]) {
      ++histogram.bucketCounts[i];
      break;
    }
  }
  histogram.sum += value;
  ++histogram.count;
}

void Metrics::setGaugeCollector(const std::string& name, std::function<GaugeSamples()> collector) {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it != families_.end() && it->second.type == Type::Gauge) it->second.collector = std::move(collector);
}

std::string Metrics::render() const {
  // Collectors run outside the lock: they may take other locks.
  std::map<std::string, std::function<GaugeSamples()>> collectors;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, family] : families_) {
      if (family.collector) collectors[name] = family.collector;
    }
  }
  std::map<std::string, GaugeSamples> collected;
  for (const auto& [name, collector] : collectors) collected[name] = collector();

  std::ostringstream out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) {
    const char* type = family.type == Type::Counter ? "counter" : family.type == Type::Gauge ? "gauge" : "histogram";
    out << "# HELP " << name << ' ' << family.help << '\n' << "# TYPE " << name << ' ' << type << '\n';
    if (family.type == Type::Histogram) {
      for (const auto& [labels, histogram] : family.histograms) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < family.buckets.size(); ++i) {
          cumulative += histogram.bucketCounts[i];
          out << name << "_bucket" << withLabel(labels, "le", formatNumber(family.buckets[i])) << ' ' << cumulative
              << '\n';
        }
        out << name << "_bucket" << withLabel(labels, "le", "+Inf") << ' ' << histogram.count << '\n';
        out << name << "_sum" << labels << ' ' << formatNumber(histogram.sum) << '\n';
        out << name << "_count" << labels << ' ' << histogram.count << '\n';
      }
      continue;
    }
    if (auto it = collected.find(name); it != collected.end()) {
      for (const auto& [labels, value] : it->second) out << name << renderLabels(labels) << ' ' << formatNumber(value) << '\n';
      continue;
    }
    for (const auto& [labels, value] : family.values) {
      out << name << labels << ' ' << formatNumber(value.load(std::memory_order_relaxed)) << '\n';
    }
  }
  return out.str();
}

}  // namespace sb
