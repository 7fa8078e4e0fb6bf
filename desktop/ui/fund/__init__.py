"""劳务合作社与劳务合作金 screens (shown when the profile switches the fund module on)."""
