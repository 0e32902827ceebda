//! JSON Pointers (RFC 6901) to the value being compiled, built on the stack and only turned
//! into a string when an error needs one.

use alloc::string::String;

use crate::text::push_decimal;

#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.render_into(out);
                out.push('/');
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Path::Index(parent, index) => {
                parent.render_into(out);
                out.push('/');
                push_decimal(out, *index as u64);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Path;

    #[test]
    fn renders_rfc6901_pointers() {
        let root = Path::Root;
        let flags = root.key("flags");
        let flag = flags.key("a/b~c");
        let rules = flag.key("rules");
        assert_eq!(rules.index(3).render(), "/flags/a~1b~0c/rules/3");
        assert_eq!(root.render(), "");
    }
}
