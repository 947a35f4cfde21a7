#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "core/engine/engine.h"
#include "core/serve/server.h"
#include "core/workloads/builtin_workloads.h"
#include "tests/support/shared_paths.h"

namespace benchtop::test {

/// A server on a free loopback port with its own engine, in fp32 on the CPU (so results compare with fp32 jobs).
struct TestServer {
    explicit TestServer(serve::ServeOptions options) : engine(workloads::builtinTasks()) {
        options.host = "127.0.0.1";
        options.port = 0;
        if (options.device.device.empty()) options.device.device = "cpu";
        if (options.device.precision.empty()) options.device.precision = "fp32";
        server = std::make_unique<serve::Server>(engine, std::move(options));
        server->start();
    }
    httplib::Client client(const std::string& apiKey = {}) const {
        httplib::Client c("127.0.0.1", server->port());
        c.set_read_timeout(120, 0);
        if (!apiKey.empty()) c.set_bearer_token_auth(apiKey.c_str());
        return c;
    }
    engine::Engine engine;
    std::unique_ptr<serve::Server> server;
};

inline serve::ServeOptions textServer(const std::string& model = "models/tiny-bert-mean") {
    serve::ServeOptions o;
    o.models.push_back({"text", sharedPath(model)});
    return o;
}

}  // namespace benchtop::test
