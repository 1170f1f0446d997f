; Inno Setup 6 script: the Windows installer around the one-folder build.
;
; Build on Windows, from the repository root, after `pyinstaller installer\dermdesk.spec` has made
; dist\dermdesk (see installer\README.md for the whole sequence):
;
;     iscc installer\dermdesk.iss                       (version 0.1.0)
;     iscc /DAppVersion=0.2.0 installer\dermdesk.iss    (another version)
;
; Result: dist\dermdesk-<version>-windows-x64-setup.exe. It installs under Program Files\DermDesk with a
; Start-menu entry (DermDesk, DermDesk self-test, Uninstall DermDesk) and an uninstaller in Apps &
; features. Only the program goes into the installation folder: clinical data, settings and logs are kept
; in the user's folders (%LOCALAPPDATA%\DermDesk, settings under %LOCALAPPDATA%\DermDesk too, per
; platformdirs), which the uninstaller leaves untouched on purpose (records must outlive a reinstall).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F4B1E2C-7D3A-4C59-9E21-0D5A8B3C4E71}
AppName=DermDesk
AppVersion={#AppVersion}
AppVerName=DermDesk {#AppVersion}
AppPublisher=DermDesk
DefaultDirName={autopf}\DermDesk
DefaultGroupName=DermDesk
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist
OutputBaseFilename=dermdesk-{#AppVersion}-windows-x64-setup
SetupIconFile=resources\icons\dermdesk.ico
UninstallDisplayIcon={app}\dermdesk-gui.exe
UninstallDisplayName=DermDesk {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; GroupDescription: "Shortcuts:"; Flags: unchecked

[Files]
; the whole PyInstaller folder: dermdesk.exe (console: selftest and the other subcommands for clinic IT),
; dermdesk-gui.exe (the station window, no console) and _internal\ (Python, Qt, OpenVINO, the model)
Source: "dist\dermdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\DermDesk"; Filename: "{app}\dermdesk-gui.exe"; WorkingDir: "{app}"
Name: "{group}\DermDesk self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\dermdesk.exe"" selftest"; WorkingDir: "{app}"
Name: "{group}\Uninstall DermDesk"; Filename: "{uninstallexe}"
Name: "{autodesktop}\DermDesk"; Filename: "{app}\dermdesk-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\dermdesk-gui.exe"; Description: "Start DermDesk"; Flags: nowait postinstall skipifsilent unchecked

; No [UninstallDelete]: the uninstaller removes exactly what [Files] installed. The user's data folder
; (%LOCALAPPDATA%\DermDesk: records database, pictures, reports, settings, logs, OpenVINO cache) is
; never touched, and nothing is ever written into {app} at run time.
