// Metrics routes: being written.
#include "http/api_routes.hpp"

namespace sb::http {

void addMetricsRoutes(Router&, const ApiContext&) {}

}  // namespace sb::http
