//! Copies C strings out of libswell into owned Rust strings, and Rust strings in.
use std::ffi::{CStr, CString};
use std::os::raw::c_char;

use crate::error::Error;

/// An owned copy of a NUL-terminated string; NULL gives "" and bad UTF-8 is replaced.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that lives through the call.
pub(crate) unsafe fn string_from_ptr(ptr: *const c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    CStr::from_ptr(ptr).to_string_lossy().into_owned()
}

/// An owned copy of a fixed `char[N]` field that holds a NUL-terminated string (the hex
/// ids); stops at the array's end if the NUL is missing.
pub(crate) fn string_from_array(chars: &[c_char]) -> String {
    let bytes: Vec<u8> = chars.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// An owned copy of `len` bytes at `ptr`; NULL or 0 gives an empty Vec.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that live through the call.
pub(crate) unsafe fn bytes_from_ptr(ptr: *const u8, len: usize) -> Vec<u8> {
    if ptr.is_null() || len == 0 {
        return Vec::new();
    }
    std::slice::from_raw_parts(ptr, len).to_vec()
}

/// `text` as a C string; a NUL byte inside is an invalid_argument error naming `field`.
pub(crate) fn c_string(field: &str, text: &str) -> Result<CString, Error> {
    CString::new(text)
        .map_err(|_| Error::invalid_argument(format!("{} contains a NUL byte; C strings cannot hold one", field)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_char_array_stops_at_nul_or_its_end() {
        let with_nul: Vec<c_char> = b"ab\0cd".iter().map(|&b| b as c_char).collect();
        assert_eq!(string_from_array(&with_nul), "ab");
        let without: Vec<c_char> = b"abc".iter().map(|&b| b as c_char).collect();
        assert_eq!(string_from_array(&without), "abc");
    }

    #[test]
    fn null_pointers_give_empty_values() {
        assert_eq!(unsafe { string_from_ptr(std::ptr::null()) }, "");
        assert!(unsafe { bytes_from_ptr(std::ptr::null(), 5) }.is_empty());
    }

    #[test]
    fn a_nul_inside_is_an_error_naming_the_field() {
        let e = c_string("bind_address", "a\0b").unwrap_err();
        assert!(e.message().contains("bind_address"));
    }
}
