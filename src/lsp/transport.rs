//! The protocol's framing on a byte stream, read so that no input can stop the server.
//!
//! A frame is a header block (`Name: value` lines, then a blank line) and a body of
//! `Content-Length` bytes. lsp-server's own reader ends the session at the first frame it cannot
//! read, and believes the declared length (`Content-Length: 1000000000000` aborts on the
//! allocation). This reader never does either:
//!
//! - A body over [`MAX_BODY`] is refused unread and never allocated; a shorter one grows as its
//!   bytes arrive, so a large declaration with a short body costs only the bytes sent.
//! - Every frame the server cannot use becomes a [`Rejection`], which the server answers with
//!   the JSON-RPC error reply (`id` null) and then reads on: -32700 Parse error for a header or
//!   a body that cannot be read (no or non-numeric `Content-Length`, too large, not JSON,
//!   invalid UTF-8), -32600 Invalid Request for JSON that is no message (`[]`, `null`, `{}`).
//! - After a header it cannot use, the reader cannot know where the body ends, so it
//!   resynchronises on the next `Content-Length:` in the stream (ASCII case ignored), dropping
//!   the bytes before it as they arrive: a frame ends exactly where the next one's header
//!   begins, so this finds the next frame whether the bad frame had a body or not, and whatever
//!   its real length. Skipping to the next blank line would not: that line ends the *next*
//!   frame's header block. The one frame this can lose is one whose JSON text itself contains
//!   `Content-Length:` right after an unreadable header; the false start is then one more
//!   rejected frame, and the reader resynchronises again. Blank lines between frames are
//!   skipped without a word.
//!
//! The end of the stream ends the session, in the middle of a frame too.

use std::io::{self, BufRead, ErrorKind, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde::Serialize;
use serde_json::{Value, json};

/// The largest body read: 16 MiB, hundreds of times the largest manifest an editor sends.
pub const MAX_BODY: u64 = 16 << 20;

/// The longest header line read. Real ones (`Content-Length`, `Content-Type`) are under 100
/// bytes; a longer line is garbage, dropped rather than gathered without limit.
const MAX_HEADER_LINE: usize = 1024;

/// Where the reader resynchronises after a frame it cannot use (compared ignoring ASCII case).
const RESYNC: &[u8] = b"content-length:";

/// A frame the server answers with an error reply instead of handling it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The request's id when the frame had a readable one, else null (JSON-RPC's rule).
    pub id: Value,
    /// -32700 (Parse error) or -32600 (Invalid Request).
    pub code: i32,
    pub message: String,
}

impl Rejection {
    fn parse_error(message: String) -> Rejection {
        Rejection {
            id: Value::Null,
            code: ErrorCode::ParseError as i32,
            message,
        }
    }

    /// The error reply, as JSON-RPC spells it.
    pub fn reply(&self) -> Value {
        json!({
            "jsonrpc": "2.0",
            "id": self.id,
            "error": {"code": self.code, "message": self.message},
        })
    }
}

/// What the reader does before the next header block.
#[derive(Debug)]
enum Resume {
    /// It is at a frame's start.
    AtFrame,
    /// The last frame was unusable: drop bytes up to the next `Content-Length:`.
    Resync,
    /// A complete header line is already read: a `Content-Length:` found inside a malformed
    /// line (the bad frame's body ran into the next header).
    Line(Vec<u8>),
}

/// Reads frames from a byte stream: bodies, and rejections for frames that are not messages.
#[derive(Debug)]
pub struct Frames<R> {
    input: R,
    resume: Resume,
}

impl<R: BufRead> Frames<R> {
    pub fn new(input: R) -> Frames<R> {
        Frames {
            input,
            resume: Resume::AtFrame,
        }
    }

    /// The next message, or the rejection of the next frame; `None` when the stream ends.
    pub fn next_message(&mut self) -> io::Result<Option<Result<Message, Rejection>>> {
        Ok(self
            .next_body()?
            .map(|body| body.and_then(|body| decode(&body))))
    }

    /// The next frame's body, or its rejection; `None` when the stream ends.
    pub fn next_body(&mut self) -> io::Result<Option<Result<Vec<u8>, Rejection>>> {
        let mut line = Vec::new();
        let mut have_line = false;
        match std::mem::replace(&mut self.resume, Resume::AtFrame) {
            Resume::AtFrame => {}
            Resume::Resync => {
                if !self.skip_to_header()? {
                    return Ok(None);
                }
                // The bytes matched are the start of the header line read next.
                line.extend_from_slice(b"Content-Length:");
            }
            Resume::Line(found) => {
                line = found;
                have_line = true;
            }
        }
        let mut length: Option<u64> = None;
        let mut started = false;
        loop {
            if !have_line {
                match read_line(&mut self.input, &mut line)? {
                    LineEnd::Newline => {}
                    LineEnd::TooLong => {
                        // The rest of the line is still unread: resynchronise in the stream.
                        self.resume = Resume::Resync;
                        return Ok(Some(Err(Rejection::parse_error(format!(
                            "Parse error: a header line longer than {MAX_HEADER_LINE} bytes"
                        )))));
                    }
                    LineEnd::Eof => return Ok(None),
                }
            }
            have_line = false;
            if line.is_empty() {
                if started {
                    break;
                }
                continue;
            }
            started = true;
            let Some((name, value)) = header(&line) else {
                return Ok(Some(Err(self.unusable(&line, "a malformed header line"))));
            };
            if name.eq_ignore_ascii_case(b"content-length") {
                match content_length(value) {
                    Some(declared) if length.is_none_or(|earlier| earlier == declared) => {
                        length = Some(declared);
                    }
                    Some(_) => {
                        return Ok(Some(Err(
                            self.unusable(&line, "two different Content-Length headers")
                        )));
                    }
                    None => {
                        return Ok(Some(Err(
                            self.unusable(&line, "a Content-Length that is not a number")
                        )));
                    }
                }
            } else if find_resync(&line[1..]).is_some() {
                // Not a value but the next frame's header, after a body longer than declared.
                return Ok(Some(Err(self.unusable(&line, "a malformed header line"))));
            }
            line.clear();
        }
        let Some(length) = length else {
            self.resume = Resume::Resync;
            return Ok(Some(Err(Rejection::parse_error(
                "Parse error: a header without Content-Length".to_string(),
            ))));
        };
        if length > MAX_BODY {
            // Never read: its length is not to be believed, and what follows is found by
            // resynchronising (a short body and the next frame, or the end of the stream).
            self.resume = Resume::Resync;
            return Ok(Some(Err(Rejection::parse_error(format!(
                "Parse error: Content-Length {length} is over the limit of {MAX_BODY} bytes"
            )))));
        }
        // Grows as bytes arrive: a declared length costs nothing until it is sent.
        let mut body = Vec::new();
        (&mut self.input).take(length).read_to_end(&mut body)?;
        if (body.len() as u64) < length {
            return Ok(None);
        }
        Ok(Some(Ok(body)))
    }

    /// Rejects the frame of a malformed header line, and says where reading resumes: at a
    /// `Content-Length:` later in the same line when there is one, else further on.
    fn unusable(&mut self, line: &[u8], what: &str) -> Rejection {
        self.resume = match find_resync(&line[1..]) {
            Some(at) => Resume::Line(line[1 + at..].to_vec()),
            None => Resume::Resync,
        };
        Rejection::parse_error(format!("Parse error: {what}"))
    }

    /// Drops input up to and including the next `Content-Length:`; false when the stream ends
    /// first. Memory stays at the reader's buffer whatever is skipped.
    fn skip_to_header(&mut self) -> io::Result<bool> {
        let mut matched = 0;
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                return Ok(false);
            }
            let mut used = 0;
            let mut found = false;
            for &byte in available {
                used += 1;
                let byte = byte.to_ascii_lowercase();
                if byte == RESYNC[matched] {
                    matched += 1;
                    if matched == RESYNC.len() {
                        found = true;
                        break;
                    }
                } else {
                    // `c` occurs once in the pattern, so a mismatch restarts at most at it.
                    matched = usize::from(byte == RESYNC[0]);
                }
            }
            self.input.consume(used);
            if found {
                return Ok(true);
            }
        }
    }
}

/// Where a `Content-Length:` starts in `bytes`.
fn find_resync(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(RESYNC.len())
        .position(|window| window.eq_ignore_ascii_case(RESYNC))
}

enum LineEnd {
    Newline,
    TooLong,
    Eof,
}

/// Appends the input up to the next `\n` to `line`, without the line break (`\r\n` or `\n`),
/// and at most [`MAX_HEADER_LINE`] bytes in all.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<LineEnd> {
    loop {
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        if room == 0 {
            return Ok(LineEnd::TooLong);
        }
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(LineEnd::Eof);
        }
        let window = &available[..available.len().min(room)];
        if let Some(at) = window.iter().position(|&byte| byte == b'\n') {
            line.extend_from_slice(&window[..at]);
            input.consume(at + 1);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(LineEnd::Newline);
        }
        let taken = window.len();
        line.extend_from_slice(window);
        input.consume(taken);
    }
}

/// A header line's name (an HTTP token) and value (spaces around it trimmed).
fn header(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().position(|&byte| byte == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    let token = |byte: &u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(byte);
    if name.is_empty() || !name.iter().all(token) {
        return None;
    }
    Some((name, value.trim_ascii()))
}

/// A `Content-Length` value: decimal digits only. Too large for `u64` is still a number (and
/// over the limit).
fn content_length(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0u64, |total, digit| {
        total
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    }))
}

/// A body as a message: -32700 when it is not JSON (invalid UTF-8 included), -32600 when it is
/// JSON but no request, notification or response.
pub fn decode(body: &[u8]) -> Result<Message, Rejection> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| Rejection::parse_error(format!("Parse error: {error}")))?;
    // Echoed in the error reply when readable, so the client can match it to its request.
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let invalid = |message: &str| Rejection {
        id: id.clone(),
        code: ErrorCode::InvalidRequest as i32,
        message: format!("Invalid Request: {message}"),
    };
    match serde_json::from_value::<Message>(value) {
        // lsp-server reads ids that fit an i32; a request with another id would otherwise pass
        // as a notification and never be answered.
        Ok(Message::Notification(_)) if !id.is_null() => Err(invalid(
            "a request id must be a string or an integer of 32 bits",
        )),
        Ok(message) => Ok(message),
        Err(_) => Err(invalid("not a request, a notification or a response")),
    }
}

/// Writes one frame: the header, then the JSON text, flushed.
pub fn write(out: &mut impl Write, message: &impl Serialize) -> io::Result<()> {
    let body = serde_json::to_vec(message)?;
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    out.write_all(&frame)?;
    out.flush()
}

/// Writes a message with the `"jsonrpc": "2.0"` member lsp-server's types leave out.
pub fn write_message(out: &mut impl Write, message: &Message) -> io::Result<()> {
    #[derive(Serialize)]
    struct JsonRpc<'m> {
        jsonrpc: &'static str,
        #[serde(flatten)]
        message: &'m Message,
    }
    write(
        out,
        &JsonRpc {
            jsonrpc: "2.0",
            message,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// Every frame of a stream: its body as text, or its error code.
    fn read_all(input: &[u8]) -> Vec<Result<String, i32>> {
        let mut frames = Frames::new(input);
        let mut out = Vec::new();
        while let Some(frame) = frames.next_body().unwrap() {
            out.push(
                frame
                    .map(|body| String::from_utf8(body).unwrap())
                    .map_err(|rejection| rejection.code),
            );
        }
        out
    }

    const HOVER: &str = r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover"}"#;

    #[test]
    fn after_an_unusable_header_the_reader_finds_the_next_frame() {
        for bad in [
            "Content-Length: twelve\r\n\r\n{\"a\": 1}".to_string(),
            "Content-Type: application/vscode-jsonrpc\r\n\r\n{\"a\": 1}".to_string(),
            "Content-Length: 4000000000\r\n\r\n{\"a\": 1}".to_string(),
            "Content-Length: 99999999999999999999999999\r\n\r\n{}".to_string(),
            "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}".to_string(),
            format!("X-Long: {}\r\n\r\n{{}}", "x".repeat(5000)),
            // A body longer than declared runs into the next header line.
            "Content-Length: 2\r\n\r\n{}garbage: ]".to_string(),
        ] {
            let stream = format!("{bad}{}", frame(HOVER));
            let frames = read_all(stream.as_bytes());
            assert_eq!(
                frames.last(),
                Some(&Ok(HOVER.to_string())),
                "{bad:?}: {frames:?}"
            );
            assert!(
                frames[..frames.len() - 1]
                    .iter()
                    .all(|f| *f == Err(-32700) || f.is_ok())
            );
            assert!(frames.contains(&Err(-32700)), "{bad:?}: {frames:?}");
        }
        // Garbage in front of a header, on its line.
        let stream = format!("}}junk{}", frame(HOVER));
        assert_eq!(
            read_all(stream.as_bytes()),
            [Err(-32700), Ok(HOVER.to_string())]
        );
        // Blank lines between frames are not frames.
        let stream = format!("{}\r\n\r\n{}", frame("{}"), frame(HOVER));
        assert_eq!(
            read_all(stream.as_bytes()),
            [Ok("{}".to_string()), Ok(HOVER.to_string())]
        );
    }

    #[test]
    fn a_huge_declared_length_is_skipped_in_bounded_memory_until_the_stream_ends() {
        // 20 MiB that never holds a header: read through an 8 KiB buffer, then the end.
        let body = io::repeat(b'x').take(20 << 20);
        let stream = io::BufReader::new(
            io::Cursor::new(b"Content-Length: 1000000000000\r\n\r\n".to_vec()).chain(body),
        );
        let mut frames = Frames::new(stream);
        let first = frames.next_body().unwrap().unwrap().unwrap_err();
        assert_eq!(first.code, -32700);
        assert!(
            first.message.contains("over the limit"),
            "{}",
            first.message
        );
        assert!(frames.next_body().unwrap().is_none());
        // A frame cut short ends the stream too.
        assert!(read_all(b"Content-Length: 10\r\n\r\n{}").is_empty());
    }

    #[test]
    fn bodies_that_are_no_message_are_told_apart() {
        let code = |body: &[u8]| decode(body).map(|_| ()).map_err(|r| (r.code, r.id));
        assert_eq!(code(b"{\"jsonrpc\": "), Err((-32700, Value::Null)));
        assert_eq!(code(b"{\"method\": \"\xff\"}"), Err((-32700, Value::Null)));
        assert_eq!(code(b"[]"), Err((-32600, Value::Null)));
        assert_eq!(code(b"null"), Err((-32600, Value::Null)));
        assert_eq!(code(b"{\"id\": 4}"), Err((-32600, json!(4))));
        assert_eq!(
            code(b"{\"id\": 8589934592, \"method\": \"textDocument/hover\"}"),
            Err((-32600, json!(8589934592u64)))
        );
        assert_eq!(code(HOVER.as_bytes()), Ok(()));
        assert_eq!(code(b"{\"method\": \"exit\"}"), Ok(()));
    }
}
