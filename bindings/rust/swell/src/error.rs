//! `Error`: a failed swell call's status code and message.
use std::ffi::CStr;
use std::fmt;

use crate::ffi;

/// What went wrong: a stable code to branch on (an `ffi::SWELL_E*` value) and the message
/// libswell gave (swell_last_error_message), which names the field or limit and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ffi::swell_status,
    message: String,
}

impl Error {
    /// An error with this code and message.
    pub fn new(code: ffi::swell_status, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }

    /// The error of the call that just returned `code` on this thread (the message is
    /// thread-local in libswell, so read it before any other swell call).
    pub(crate) fn from_last_call(code: ffi::swell_status) -> Error {
        // SAFETY: swell_last_error_message returns a NUL-terminated string (never NULL per
        // swell.h; checked anyway) valid until this thread's next swell call.
        let message = unsafe { crate::text::string_from_ptr(ffi::swell_last_error_message()) };
        Error { code, message }
    }

    /// A bad argument caught before reaching libswell (a NUL byte in a string).
    pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(ffi::SWELL_EINVAL, message)
    }

    /// The status code: negative, one of the `ffi::SWELL_E*` constants.
    pub fn code(&self) -> ffi::swell_status {
        self.code
    }

    /// What libswell said, e.g. "bind 127.0.0.1:1: permission denied; ...".
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The code's short stable name from swell_strerror ("invalid_argument", ...).
    pub fn name(&self) -> String {
        status_name(self.code)
    }
}

/// swell_strerror(code) as a String.
pub fn status_name(code: ffi::swell_status) -> String {
    // SAFETY: swell_strerror returns a static NUL-terminated string.
    let name = unsafe { ffi::swell_strerror(code) };
    if name.is_null() {
        return format!("status {}", code);
    }
    // SAFETY: checked non-null above; static storage.
    unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.name(), self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// `Ok(())` for SWELL_OK, else the error of the call that returned `status`.
pub(crate) fn check(status: ffi::swell_status) -> Result<(), Error> {
    if status == ffi::SWELL_OK {
        Ok(())
    } else {
        Err(Error::from_last_call(status))
    }
}
