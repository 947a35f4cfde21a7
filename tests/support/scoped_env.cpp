#include "tests/support/scoped_env.h"

#include <cstdlib>

namespace benchtop::test {
namespace {

void setVariable(const std::string& name, const std::optional<std::string>& value) {
#ifdef _WIN32
    _putenv_s(name.c_str(), value ? value->c_str() : "");
#else
    if (value)
        ::setenv(name.c_str(), value->c_str(), 1);
    else
        ::unsetenv(name.c_str());
#endif
}

}  // namespace

ScopedEnv::ScopedEnv(std::string name, const std::optional<std::string>& value) : m_name(std::move(name)) {
    if (const char* old = std::getenv(m_name.c_str())) m_old = old;
    setVariable(m_name, value);
}

ScopedEnv::~ScopedEnv() {
    setVariable(m_name, m_old);
}

void ScopedEnv::set(const std::optional<std::string>& value) {
    setVariable(m_name, value);
}

}  // namespace benchtop::test
