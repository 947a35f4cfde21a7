#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/scoped_env.h"

namespace benchtop::test {

/// A private single-node Slurm for a test's life, started by tools/slurm/start_local_slurm.sh (Debian's slurm-wlm
/// and munge on loopback). Where Slurm cannot start, the test is skipped saying why; any other failure fails it.
/// `prefix` names its folder under /tmp (short: munge's and Slurm's unix sockets live in it).
class LocalSlurm {
public:
    explicit LocalSlurm(const std::string& prefix = "bt-slurm");
    ~LocalSlurm();
    LocalSlurm(const LocalSlurm&) = delete;
    LocalSlurm& operator=(const LocalSlurm&) = delete;

    /// "SLURM_CONF='…/slurm.conf'": an environment prefix for commands that talk to this cluster.
    const std::string& env() const { return m_env; }
    /// Sets SLURM_CONF in this process until the cluster stops (for code that runs sbatch itself).
    void exportConf();
    const std::filesystem::path& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
    std::string m_env;
    bool m_started = false;
    std::unique_ptr<ScopedEnv> m_conf;
};

}  // namespace benchtop::test
