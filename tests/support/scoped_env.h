#pragma once

#include <optional>
#include <string>

namespace benchtop::test {

/// Sets (or, with std::nullopt, removes) an environment variable for a scope and restores the previous state
/// afterwards. POSIX and Windows.
class ScopedEnv {
public:
    ScopedEnv(std::string name, const std::optional<std::string>& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

    /// Sets the variable again (within the same scope; the original value still comes back at the end).
    void set(const std::optional<std::string>& value);

private:
    std::string m_name;
    std::optional<std::string> m_old;
};

}  // namespace benchtop::test
