//! GitHub Actions workflow commands (`::error file=…,line=…::message`): the one escaping of
//! their messages and property values, shared by `check` and `test`.

/// Escapes a workflow command's message: `%`, CR and LF.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as [`data`], and also `:` and `,`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_special_character_is_escaped_once() {
        assert_eq!(super::data("50%\r\nmore"), "50%25%0D%0Amore");
        assert_eq!(super::property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
