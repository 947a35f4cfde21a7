#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace benchtop::test {

/// A small HTTP/1.1 server on 127.0.0.1 (ephemeral port) that serves ../shared the way the Hugging Face hub and
/// raw.githubusercontent.com would, with switches to misbehave. One connection at a time, `Connection: close`.
///
/// Routes:
///   /api/models/benchtop-test/<name>/revision/<rev>        -> {"siblings": [{"rfilename", "size"}]} of models/<name>
///   /benchtop-test/<name>/resolve/<rev>/<file>              -> models/<name>/<file>
///   /raw.githubusercontent.com/bio-learn/biolearn/<commit>/biolearn/data/<file> -> clocks/biolearn/<file>
class TestHttpServer {
public:
    /// One request as the server saw it.
    struct Request {
        std::string path;
        std::string range;          ///< the Range header, empty when absent
        std::string authorization;  ///< the Authorization header, empty when absent
        int status = 0;
        std::uint64_t bodyBytes = 0;  ///< body bytes actually sent
    };

    /// Serves files below `sharedRoot`. Starts listening at once.
    explicit TestHttpServer(std::string sharedRoot);
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer&) = delete;
    TestHttpServer& operator=(const TestHttpServer&) = delete;

    int port() const { return m_port; }
    /// "http://127.0.0.1:<port>"
    std::string baseUrl() const;

    /// The next file response larger than `bytes` sends only `bytes` of its body and closes the connection.
    void cutConnectionOnceAfter(std::uint64_t bytes) { m_cutAfter = bytes; }
    /// Answer Range requests with 200 and the whole file.
    void setIgnoreRange(bool on) { m_ignoreRange = on; }
    /// Answer every file request with 404.
    void setNotFound(bool on) { m_notFound = on; }
    /// Serve files with one byte changed (the X-Linked-Etag still names the true content).
    void setWrongContent(bool on) { m_wrongContent = on; }
    /// Send X-Linked-Etag: "<sha256>" and X-Linked-Size with file responses, as the hub does for LFS files.
    void setLinkedEtag(bool on) { m_linkedEtag = on; }
    /// Answer /resolve/ with 302 to /cdn/... as the hub does (headers on the 302).
    void setRedirect(bool on) { m_redirect = on; }
    /// File responses send `bytes` of body, then go silent for `seconds` before closing.
    void stallAfter(std::uint64_t bytes, int seconds) {
        m_stallSeconds = seconds;
        m_stallAfter = bytes;
    }

    /// The next `count` file requests are answered 503 Service Unavailable.
    void failNextFileRequests(int count) { m_failNext = count; }
    /// Sends file bodies at about `bytesPerSecond` (0: as fast as possible), so progress can be watched.
    void setThrottle(std::uint64_t bytesPerSecond) { m_throttle = bytesPerSecond; }

    std::vector<Request> requests() const;
    int requestCount() const;
    /// Body bytes sent for files (not API JSON).
    std::uint64_t fileBytesServed() const;

private:
    void serve();
    void handle(int fd);

    std::string m_root;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;

    std::atomic<std::uint64_t> m_cutAfter{0};
    std::atomic<bool> m_ignoreRange{false};
    std::atomic<bool> m_notFound{false};
    std::atomic<bool> m_wrongContent{false};
    std::atomic<bool> m_linkedEtag{false};
    std::atomic<bool> m_redirect{false};
    std::atomic<std::uint64_t> m_stallAfter{0};
    std::atomic<int> m_stallSeconds{0};
    std::atomic<int> m_failNext{0};
    std::atomic<std::uint64_t> m_throttle{0};

    mutable std::mutex m_mutex;
    std::vector<Request> m_requests;
    std::uint64_t m_fileBytes = 0;
};

}  // namespace benchtop::test
