//! The machine's time zone, found without walking the whole zone database.

use std::path::Path;

use jiff::tz::TimeZone;

/// The machine's time zone, as [`TimeZone::system`] finds it. On its first lookup jiff lists
/// every file of the zoneinfo folder (1.4 ms, a tenth of the interface's first frame); where
/// `TZ` is unset and /etc/localtime is a link into a zoneinfo folder, as on most systems, the
/// linked file is read directly instead and named as the link says. Anything else is jiff's.
pub fn local() -> TimeZone {
    #[cfg(unix)]
    if std::env::var_os("TZ").is_none()
        && let Some(zone) = linked(Path::new("/etc/localtime"))
    {
        return zone;
    }
    TimeZone::system()
}

/// The zone `path` links to, named by the part of the link's target after its last
/// `zoneinfo/` (as jiff names it); `None` where `path` is no such link or not a zone file.
fn linked(path: &Path) -> Option<TimeZone> {
    let target = std::fs::read_link(path).ok()?;
    let target = target.to_str()?;
    let (_, name) = target.rsplit_once("zoneinfo/")?;
    if name.is_empty() {
        return None;
    }
    let data = std::fs::read(path).ok()?;
    TimeZone::tzif(name, &data).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A TZif (version 1) file of one zone type: UTC+9, named KST.
    fn seoul_tzif() -> Vec<u8> {
        let mut data = b"TZif".to_vec();
        data.extend([0; 16]);
        // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
        for count in [0u32, 0, 0, 0, 1, 4] {
            data.extend(count.to_be_bytes());
        }
        data.extend(32_400i32.to_be_bytes());
        data.extend([0, 0]);
        data.extend(b"KST\0");
        data
    }

    #[test]
    fn a_link_into_a_zoneinfo_folder_is_read_and_named_as_it_says() {
        let dir = tempfile::tempdir().unwrap();
        let zone_file = dir.path().join("zoneinfo/Asia/Seoul");
        std::fs::create_dir_all(zone_file.parent().unwrap()).unwrap();
        std::fs::write(&zone_file, seoul_tzif()).unwrap();
        let localtime = dir.path().join("localtime");
        std::os::unix::fs::symlink(&zone_file, &localtime).unwrap();

        let zone = linked(&localtime).expect("the linked zone");
        assert_eq!(zone.iana_name(), Some("Asia/Seoul"));
        let noon = "2026-12-08T03:00:00Z".parse::<jiff::Timestamp>().unwrap();
        assert_eq!(noon.to_zoned(zone).hour(), 12);
    }

    #[test]
    fn a_copied_file_or_a_link_elsewhere_is_left_to_jiff() {
        let dir = tempfile::tempdir().unwrap();
        let copied = dir.path().join("localtime");
        std::fs::write(&copied, seoul_tzif()).unwrap();
        assert!(linked(&copied).is_none(), "a copy carries no name");

        let elsewhere = dir.path().join("zones/Seoul");
        std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
        std::fs::write(&elsewhere, seoul_tzif()).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        assert!(linked(&link).is_none(), "no zoneinfo/ in the target");

        let garbage = dir.path().join("zoneinfo/Not/AZone");
        std::fs::create_dir_all(garbage.parent().unwrap()).unwrap();
        std::fs::write(&garbage, "not a zone").unwrap();
        let link = dir.path().join("garbage-link");
        std::os::unix::fs::symlink(&garbage, &link).unwrap();
        assert!(linked(&link).is_none(), "not a TZif file");
    }
}
