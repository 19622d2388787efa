package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zalando/go-keyring"
)

// Keyring keeps secrets in the system's own store: the macOS Keychain, the
// Windows Credential Manager, the Secret Service on Linux desktops.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// SystemKeyring is the keyring of the system Rapport runs on.
type SystemKeyring struct{}

func (SystemKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (SystemKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (SystemKeyring) Delete(service, user string) error { return keyring.Delete(service, user) }

// passwordFile is where the password goes where no keyring runs: beside the
// database, readable by the owner alone, never in the database, a backup
// or a log.
const passwordFile = "phone-sync-password"

func keyringService(serverURL string) string { return "Rapport phone sync " + hostOf(serverURL) }

// SavePhoneSyncPassword keeps the password for the server and user and
// says where: "the system keyring" or the file's path.
func (s *Service) SavePhoneSyncPassword(serverURL, user, password string) (where string, err error) {
	if s.keys != nil {
		if err := s.keys.Set(keyringService(serverURL), user, password); err == nil {
			_ = os.Remove(s.passwordPath()) // one place only
			return "the system keyring", nil
		}
	}
	path := s.passwordPath()
	err = WriteFileAtomically(path, func(w io.Writer) error {
		_, err := io.WriteString(w, password+"\n")
		return err
	})
	if err != nil {
		return "", fmt.Errorf("keep the phone sync password: %w", err)
	}
	return path, nil
}

// PhoneSyncPassword reads the kept password; found is false if there is
// none.
func (s *Service) PhoneSyncPassword(serverURL, user string) (password string, found bool, err error) {
	if s.keys != nil {
		p, err := s.keys.Get(keyringService(serverURL), user)
		if err == nil {
			return p, true, nil
		}
	}
	b, err := os.ReadFile(s.passwordPath())
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read the phone sync password: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), true, nil
}

func (s *Service) passwordPath() string { return filepath.Join(s.store().Dir(), passwordFile) }
