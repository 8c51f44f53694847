//! What a caller wants to hear about a socket: that it can be read, written,
//! or both.

use std::ops::BitOr;

/// The readiness a registration asks for. Combine them with `|`:
/// `Interests::READABLE | Interests::WRITABLE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interests(u8);

impl Interests {
    /// Report the socket when there are bytes to read, or the peer closed it.
    pub const READABLE: Interests = Interests(0b01);
    /// Report the socket when there is room to write.
    pub const WRITABLE: Interests = Interests(0b10);

    /// Does this ask for readability?
    pub fn is_readable(self) -> bool {
        self.0 & Self::READABLE.0 != 0
    }

    /// Does this ask for writability?
    pub fn is_writable(self) -> bool {
        self.0 & Self::WRITABLE.0 != 0
    }
}

impl BitOr for Interests {
    type Output = Interests;

    fn bitor(self, other: Interests) -> Interests {
        Interests(self.0 | other.0)
    }
}
