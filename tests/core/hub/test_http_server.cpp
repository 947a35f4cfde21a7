#include "tests/core/hub/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/hub/sha256.h"

namespace fs = std::filesystem;

namespace benchtop::test {
namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

bool sendAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const auto sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent <= 0) return false;
        data += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

// Splits "/a/b/c" into {"a","b","c"}.
std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::stringstream in(path);
    std::string part;
    while (std::getline(in, part, '/')) {
        if (!part.empty()) out.push_back(part);
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < parts.size(); ++i) out += (out.empty() ? "" : "/") + parts[i];
    return out;
}

}  // namespace

TestHttpServer::TestHttpServer(std::string sharedRoot) : m_root(std::move(sharedRoot)) {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_listen < 0) throw std::runtime_error("test server: socket() failed");
    int yes = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(m_listen, 16) != 0) {
        ::close(m_listen);
        throw std::runtime_error("test server: bind/listen on 127.0.0.1 failed");
    }
    socklen_t length = sizeof address;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
}

TestHttpServer::~TestHttpServer() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    ::close(m_listen);
}

std::string TestHttpServer::baseUrl() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

std::vector<TestHttpServer::Request> TestHttpServer::requests() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_requests;
}

int TestHttpServer::requestCount() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return static_cast<int>(m_requests.size());
}

std::uint64_t TestHttpServer::fileBytesServed() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_fileBytes;
}

void TestHttpServer::serve() {
    while (!m_stop) {
        pollfd pfd{m_listen, POLLIN, 0};
        if (::poll(&pfd, 1, 50) <= 0) continue;
        const int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0) continue;
        timeval timeout{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        handle(fd);
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
    }
}

void TestHttpServer::handle(int fd) {
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
        const auto got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) return;
        head.append(buffer, static_cast<std::size_t>(got));
    }
    std::istringstream lines(head);
    std::string method, target, version;
    lines >> method >> target >> version;
    std::string line, range, authorization;
    std::getline(lines, line);
    while (std::getline(lines, line) && line != "\r") {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
        if (name == "range") range = value;
        if (name == "authorization") authorization = value;
    }
    const std::string path = target.substr(0, target.find('?'));

    Request record;
    record.path = path;
    record.range = range;
    record.authorization = authorization;
    auto respond = [&](int status, const std::string& reason, const std::string& headers, const std::string& body,
                       bool isFile) {
        record.status = status;
        std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + headers +
                               "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
        sendAll(fd, response.data(), response.size());
        std::uint64_t limit = body.size();
        bool cut = false;
        bool stall = false;
        if (isFile && m_cutAfter > 0 && body.size() > m_cutAfter) {
            limit = m_cutAfter.exchange(0);
            cut = true;
        } else if (isFile && m_stallAfter > 0 && body.size() > m_stallAfter) {
            limit = m_stallAfter;
            stall = true;
        }
        // Recorded before the body goes out: the client may look at the counters as soon as it has the bytes.
        record.bodyBytes = limit;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (isFile) m_fileBytes += limit;
            m_requests.push_back(record);
        }
        if (isFile && m_throttle > 0) {
            // Twenty slices a second; stop early when the test ends or the client hangs up.
            const std::uint64_t slice = std::max<std::uint64_t>(1, m_throttle / 20);
            for (std::uint64_t sent = 0; sent < limit && !m_stop;) {
                const auto n = static_cast<std::size_t>(std::min(slice, limit - sent));
                if (!sendAll(fd, body.data() + sent, n)) break;
                sent += n;
                if (sent < limit) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        } else {
            sendAll(fd, body.data(), static_cast<std::size_t>(limit));
        }
        if (stall) {
            // Go silent, but wake up when the test ends or the client gives up.
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(m_stallSeconds.load());
            while (!m_stop && std::chrono::steady_clock::now() < until) {
                pollfd pfd{fd, POLLIN, 0};
                if (::poll(&pfd, 1, 20) > 0) {
                    char probe;
                    if (::recv(fd, &probe, 1, MSG_DONTWAIT) <= 0) break;  // client closed
                }
            }
        }
        (void)cut;
    };
    auto notFound = [&] { respond(404, "Not Found", "Content-Type: text/plain\r\n", "Entry not found", false); };

    const auto parts = segments(path);
    if (method != "GET" || path.find("..") != std::string::npos) return notFound();

    fs::path file;
    bool resolveRoute = false;
    if (parts.size() == 6 && parts[0] == "api" && parts[1] == "models" && parts[2] == "benchtop-test" &&
        parts[4] == "revision") {
        const fs::path dir = fs::path(m_root) / "models" / parts[3];
        if (!fs::is_directory(dir)) return notFound();
        nlohmann::json siblings = nlohmann::json::array();
        std::vector<std::string> names;
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            if (entry.is_regular_file()) names.push_back(fs::relative(entry.path(), dir).generic_string());
        }
        std::sort(names.begin(), names.end());
        for (const auto& name : names) siblings.push_back({{"rfilename", name}, {"size", fs::file_size(dir / name)}});
        // Files a real repository carries that Benchtop must skip.
        siblings.push_back({{"rfilename", "onnx/model.onnx"}, {"size", 10}});
        siblings.push_back({{"rfilename", "README.md"}, {"size", 10}});
        const nlohmann::json body = {{"id", "benchtop-test/" + parts[3]},
                                     {"sha", "0123456789abcdef0123456789abcdef01234567"},
                                     {"siblings", siblings}};
        return respond(200, "OK", "Content-Type: application/json\r\n", body.dump(), false);
    }
    if (parts.size() >= 5 && parts[0] == "benchtop-test" && parts[2] == "resolve") {
        file = fs::path(m_root) / "models" / parts[1] / join(parts, 4);
        resolveRoute = true;
        if (m_redirect) {
            std::string headers = "Location: /cdn/" + parts[1] + "/" + join(parts, 4) + "\r\n";
            if (m_linkedEtag && fs::is_regular_file(file)) {
                headers += "X-Linked-Etag: \"" + hub::sha256File(file.string()) + "\"\r\n";
                headers += "X-Linked-Size: " + std::to_string(fs::file_size(file)) + "\r\n";
            }
            if (m_notFound || !fs::is_regular_file(file)) return notFound();
            return respond(302, "Found", headers, "", false);
        }
    } else if (parts.size() >= 3 && parts[0] == "cdn") {
        file = fs::path(m_root) / "models" / parts[1] / join(parts, 2);
    } else if (parts.size() == 7 && parts[0] == "raw.githubusercontent.com" && parts[1] == "bio-learn" &&
               parts[2] == "biolearn" && parts[4] == "biolearn" && parts[5] == "data") {
        file = fs::path(m_root) / "clocks" / "biolearn" / parts[6];
    } else {
        return notFound();
    }
    if (m_notFound || !fs::is_regular_file(file)) return notFound();
    if (m_failNext > 0) {
        --m_failNext;
        return respond(503, "Service Unavailable", "Content-Type: text/plain\r\n", "try again", false);
    }

    std::string content = readAll(file);
    std::string headers = "Content-Type: application/octet-stream\r\n";
    if (m_linkedEtag && resolveRoute) {
        headers += "X-Linked-Etag: \"" + hub::sha256Hex(content) + "\"\r\n";
        headers += "X-Linked-Size: " + std::to_string(content.size()) + "\r\n";
    }
    if (m_wrongContent && !content.empty()) content[content.size() / 2] ^= 0x5a;
    if (!range.empty() && !m_ignoreRange && startsWith(range, "bytes=")) {
        const std::uint64_t from = std::stoull(range.substr(6));
        if (from >= content.size()) {
            return respond(416, "Range Not Satisfiable",
                           "Content-Range: bytes */" + std::to_string(content.size()) + "\r\n", "", false);
        }
        headers += "Content-Range: bytes " + std::to_string(from) + "-" + std::to_string(content.size() - 1) + "/" +
                   std::to_string(content.size()) + "\r\n";
        return respond(206, "Partial Content", headers, content.substr(from), true);
    }
    return respond(200, "OK", headers, content, true);
}

}  // namespace benchtop::test
