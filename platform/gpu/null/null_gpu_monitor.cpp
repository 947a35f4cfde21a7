#include "platform/gpu/gpu_monitor.h"

#include <utility>

namespace benchtop::platform {

namespace {

class NullGpuMonitor final : public GpuMonitor {
public:
    explicit NullGpuMonitor(std::string reason) : m_reason(std::move(reason)) {}
    std::string backend() const override { return "none"; }
    bool available() const override { return false; }
    std::string status() const override { return m_reason; }
    std::vector<GpuSample> sample() override { return {}; }

private:
    std::string m_reason;
};

}  // namespace

std::unique_ptr<GpuMonitor> createNullGpuMonitor(std::string reason) {
    return std::make_unique<NullGpuMonitor>(std::move(reason));
}

}  // namespace benchtop::platform
