#include "core/engine/thread_pool.h"

#include <algorithm>

#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include "core/device/device.h"

namespace benchtop::engine {

ThreadPool::ThreadPool(int threads, std::string name, int torchThreadsPerWorker)
    : m_torchThreads(torchThreadsPerWorker) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    m_workers.reserve(static_cast<std::size_t>(threads));
    for (int i = 0; i < threads; ++i) m_workers.emplace_back([this] { loop(); });
    (void)name;
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& t : m_workers)
        if (t.joinable()) t.join();
}

std::future<void> ThreadPool::submit(std::function<void()> fn) {
    std::packaged_task<void()> task(std::move(fn));
    auto future = task.get_future();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.push_back(std::move(task));
    }
    m_cv.notify_one();
    return future;
}

void ThreadPool::loop() {
    if (m_torchThreads > 0) device::applyThreads(m_torchThreads);
    for (;;) {
        std::packaged_task<void()> task;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) return;  // stopping and drained
            task = std::move(m_queue.front());
            m_queue.pop_front();
        }
        task();
    }
}

DeviceExecutor::DeviceExecutor(std::string deviceId) : m_deviceId(std::move(deviceId)), m_thread(1, "device", 0) {}

DeviceExecutor::~DeviceExecutor() = default;

std::future<void> DeviceExecutor::post(std::function<void()> fn, int threads) {
    return m_thread.submit([fn = std::move(fn), threads] {
        // OpenMP's thread count is per calling thread: set it here, on the device thread.
        device::applyThreads(threads);
        c10::InferenceMode inference;
        fn();
    });
}

void DeviceExecutor::call(std::function<void()> fn, int threads) {
    post(std::move(fn), threads).get();
}

}  // namespace benchtop::engine
