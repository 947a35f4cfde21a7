#include "tests/support/local_slurm.h"

#include <cstdlib>

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>

#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;

namespace benchtop::test {

LocalSlurm::LocalSlurm(const std::string& prefix) {
    m_dir = fs::path("/tmp") / (prefix + "-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    const std::string log = (m_dir / "start.log").string();
    const int rc = std::system(("bash '" + std::string(BENCHTOP_SOURCE_DIR) + "/tools/slurm/start_local_slurm.sh' '" +
                                (m_dir / "state").string() + "' >'" + (m_dir / "env").string() + "' 2>'" + log + "'")
                                   .c_str());
    const int code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    const std::string startLog = readFile(log);
    if (code != 0) {
        // The destructor does not run for an object that was never made: the folder goes here.
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    if (code == 77) SKIP("Slurm cannot start here: " << startLog);
    INFO(startLog);
    REQUIRE(code == 0);
    m_started = true;
    m_env = "SLURM_CONF='" + (m_dir / "state" / "slurm.conf").string() + "'";
}

LocalSlurm::~LocalSlurm() {
    if (m_started)
        std::system(("bash '" + std::string(BENCHTOP_SOURCE_DIR) + "/tools/slurm/stop_local_slurm.sh' '" +
                     (m_dir / "state").string() + "' >/dev/null 2>&1")
                        .c_str());
    m_conf.reset();
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

void LocalSlurm::exportConf() {
    m_conf = std::make_unique<ScopedEnv>("SLURM_CONF", (m_dir / "state" / "slurm.conf").string());
}

}  // namespace benchtop::test
