#pragma once

#include <stdexcept>
#include <string>

namespace benchtop {

/// The error core throws on bad input or an impossible request. what() is a complete sentence a user
/// can act on; context() names the file, row or tensor it is about (already part of what()).
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message);
    Error(const std::string& context, const std::string& message);

    const std::string& context() const noexcept { return m_context; }
    const std::string& message() const noexcept { return m_message; }

private:
    std::string m_context;
    std::string m_message;
};

/// Thrown when a job is cancelled; the engine reports the job as cancelled, not failed.
class CancelledError : public Error {
public:
    CancelledError() : Error("cancelled") {}
};

}  // namespace benchtop
