package cli

import (
	"os"
	"path/filepath"

	"gopkg.in/ini.v1"
)

// profileSetting returns a setting of the selected profile in the aws
// config file, or "" if the file, the profile or the setting is missing.
// The profile is --profile, else AWS_PROFILE, else default; the file is
// AWS_CONFIG_FILE, else ~/.aws/config. The SDK's loader reads credentials,
// Region and endpoints; settings that belong to the command line itself,
// such as output, are read here.
func profileSetting(g globals, env Env, key string) string {
	path := env.Getenv("AWS_CONFIG_FILE")
	if path == "" {
		home := env.Getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		path = filepath.Join(home, ".aws", "config")
	}
	profile := g.profile
	if profile == "" {
		profile = env.Getenv("AWS_PROFILE")
	}
	if profile == "" {
		profile = "default"
	}
	f, err := ini.LoadSources(ini.LoadOptions{AllowPythonMultilineValues: true, SkipUnrecognizableLines: true}, path)
	if err != nil {
		return ""
	}
	// The default profile may be written [default] or [profile default];
	// others only [profile NAME].
	sections := []string{"profile " + profile}
	if profile == "default" {
		sections = append(sections, "default")
	}
	for _, name := range sections {
		if sec, err := f.GetSection(name); err == nil && sec.HasKey(key) {
			return sec.Key(key).String()
		}
	}
	return ""
}
