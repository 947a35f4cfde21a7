#include "tests/cli/cli_runner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>

#include <catch2/catch_test_macros.hpp>

namespace benchtop::test {

CliResult runCli(const std::string& args, const std::string& env) {
    TempDir dir;
    const std::string errFile = dir.file("stderr.txt");
    const std::string command = env + " '" + std::string(BENCHTOP_CLI) + "' " + args + " 2>'" + errFile + "'";
    CliResult result;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    // The shell reports a child killed by signal N as exit status 128 + N.
    if (WIFSIGNALED(status))
        result.signal = WTERMSIG(status);
    else if (result.exitCode > 128 && result.exitCode < 160)
        result.signal = result.exitCode - 128;
    result.err = readFile(errFile);
    return result;
}

int closedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    ::close(fd);
    return ntohs(address.sin_port);
}

std::string offlineEnv(const TempDir& home, int port, const std::string& extra) {
    std::string env = "env";
    for (const char* name :
         {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
          "BENCHTOP_MODELS_DIR", "BENCHTOP_CLOCKS_DIR", "BENCHTOP_BUNDLED_CLOCKS_DIR", "BENCHTOP_CATALOG",
          "HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "BENCHTOP_DEVICE", "BENCHTOP_PRECISION"})
        env += std::string(" -u ") + name;
    const std::string closed = "http://127.0.0.1:" + std::to_string(port);
    env += " HOME='" + home.path() + "' XDG_DATA_HOME='" + home.file("data") + "' BENCHTOP_URL_MIRROR=" + closed +
           " HF_ENDPOINT=" + closed + " " + extra;
    return env;
}

}  // namespace benchtop::test
