#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace benchtop::engine {

/// A fixed set of worker threads running queued functions in FIFO order.
class ThreadPool {
public:
    /// `threads` <= 0 means one per logical core. `applyTorchThreads` sets libtorch's intra-op threads
    /// on each worker (executors run model code; the CPU pool keeps 1 so workers do not oversubscribe).
    explicit ThreadPool(int threads, std::string name = "pool", int torchThreadsPerWorker = 1);
    ~ThreadPool();  ///< runs what is queued, then joins
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// Queues `fn`; the future carries its exception.
    std::future<void> submit(std::function<void()> fn);
    int size() const { return static_cast<int>(m_workers.size()); }

private:
    void loop();

    std::vector<std::thread> m_workers;
    std::deque<std::packaged_task<void()>> m_queue;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    int m_torchThreads = 1;
};

/// The single thread that owns one device: model loads and batches for that device run here, in order,
/// with gradients off. Posted work carries the thread count and precision context it needs.
class DeviceExecutor {
public:
    explicit DeviceExecutor(std::string deviceId);
    ~DeviceExecutor();
    DeviceExecutor(const DeviceExecutor&) = delete;
    DeviceExecutor& operator=(const DeviceExecutor&) = delete;

    /// Queues `fn` to run on the device thread with `threads` intra-op threads and no autograd.
    std::future<void> post(std::function<void()> fn, int threads);
    /// post() and wait, rethrowing fn's exception.
    void call(std::function<void()> fn, int threads);
    const std::string& deviceId() const { return m_deviceId; }

private:
    std::string m_deviceId;
    ThreadPool m_thread;
};

}  // namespace benchtop::engine
