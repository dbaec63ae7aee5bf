; HomeVisit 入户访视 — Windows installer (Inno Setup 6.3 or newer).
;
; Build the bundle first (python build/build_bundle.py -> dist\homevisit\), then:
;   iscc /DAppVersion=0.1.0 build\installer.iss
; The installer lands in dist\installer\HomeVisit-Setup-<version>.exe.
;
; - Installs for the current user without administrator rights (into
;   %LOCALAPPDATA%\Programs\HomeVisit); the first page lets a user with admin
;   rights choose "all users" instead (Program Files).
; - A newer installer run over an older install upgrades it in place: same AppId,
;   same folder, the old program files replaced. The user's data
;   (%LOCALAPPDATA%\HomeVisit: database, backups, attachments, settings) is never
;   in the program folder, so it is untouched; the app migrates the database on
;   first start after making a backup in %LOCALAPPDATA%\HomeVisit\backups.
; - Uninstalling removes the program and shortcuts and keeps the data folder
;   unless the user ticks "also delete my data" on the uninstaller's page.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible architecture names)
#endif

#define AppName "HomeVisit"
#define AppNameZh "HomeVisit 入户访视"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\dist\homevisit"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\dist\installer"
#endif
#define AppExe "homevisit.exe"
; The unofficial Simplified Chinese messages are not in every Inno Setup install;
; CI downloads them into the compiler's Languages folder (see build/README.md).
#define HaveChinese FileExists(CompilerPath + "Languages\ChineseSimplified.isl")

[Setup]
; Never change AppId: it is how a newer installer finds the older install to upgrade.
AppId={{601BE76E-4EAE-4B1E-9C76-41EB5A5C228C}
AppName={#AppNameZh}
AppVersion={#AppVersion}
AppVerName={#AppNameZh} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppNameZh}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppNameZh}
DisableProgramGroupPage=yes
; Per user by default, no UAC prompt; "all users" is offered on the first page
; (or /ALLUSERS, /CURRENTUSER on the command line, for silent installs).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
; An upgrade reuses the earlier folder and install mode without asking again.
UsePreviousAppDir=yes
UsePreviousPrivileges=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running HomeVisit before replacing its files (Restart Manager).
CloseApplications=yes
RestartApplications=no
SetupIconFile={#SourcePath}..\resources\icons\homevisit.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppNameZh}
OutputDir={#OutputDir}
OutputBaseFilename=HomeVisit-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
#if HaveChinese
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.RemoveDataTitle=Remove HomeVisit data?
en.RemoveDataText=Your HomeVisit data (visit records, photos, signatures, certificates, backups and settings) is kept in:%n%1%n%nIt is kept unless you tick the box below. Data not yet synchronised to the server would be lost for good.
en.RemoveDataCheck=Also delete my HomeVisit data
en.RemoveDataFailed=Some data files could not be deleted. You can delete the folder by hand:%n%1
#if HaveChinese
zh_CN.RemoveDataTitle=删除 HomeVisit 数据？
zh_CN.RemoveDataText=您的 HomeVisit 数据（访视记录、照片、签名、验收单、备份和设置）保存在：%n%1%n%n除非勾选下面的选项，这些数据会保留。尚未同步到服务器的数据删除后无法恢复。
zh_CN.RemoveDataCheck=同时删除我的 HomeVisit 数据
zh_CN.RemoveDataFailed=部分数据文件未能删除，您可以手动删除此文件夹：%n%1
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle, so libraries an older version had do not linger.
; Only the program folder: user data lives in %LOCALAPPDATA%\HomeVisit.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppNameZh}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppNameZh}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#StringChange(AppNameZh, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  DeleteUserData: Boolean;

{ The per-user data folder of app/paths.py (platformdirs, roaming=False). }
function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\HomeVisit');
end;

{ A small dialog with the data folder and an unticked "also delete my data" box. }
function AskDeleteUserData(): Boolean;
var
  Form: TSetupForm;
  Text: TNewStaticText;
  Check: TNewCheckBox;
  OkButton: TNewButton;
begin
#if Ver >= EncodeVer(6, 4, 0)
  Form := CreateCustomForm(ScaleX(460), ScaleY(200), False, False);
#else
  Form := CreateCustomForm();
  Form.ClientWidth := ScaleX(460);
  Form.ClientHeight := ScaleY(200);
#endif
  try
    Form.Caption := CustomMessage('RemoveDataTitle');

    Text := TNewStaticText.Create(Form);
    Text.Parent := Form;
    Text.AutoSize := False;
    Text.WordWrap := True;
    Text.Left := ScaleX(16);
    Text.Top := ScaleY(16);
    Text.Width := Form.ClientWidth - ScaleX(32);
    Text.Height := ScaleY(96);
    Text.Caption := FmtMessage(CustomMessage('RemoveDataText'), [UserDataDir()]);

    Check := TNewCheckBox.Create(Form);
    Check.Parent := Form;
    Check.Left := ScaleX(16);
    Check.Top := ScaleY(120);
    Check.Width := Form.ClientWidth - ScaleX(32);
    Check.Height := ScaleY(20);
    Check.Caption := CustomMessage('RemoveDataCheck');
    Check.Checked := False;

    OkButton := TNewButton.Create(Form);
    OkButton.Parent := Form;
    OkButton.Width := ScaleX(90);
    OkButton.Height := ScaleY(26);
    OkButton.Left := Form.ClientWidth - OkButton.Width - ScaleX(16);
    OkButton.Top := Form.ClientHeight - OkButton.Height - ScaleY(12);
    OkButton.Caption := SetupMessage(msgButtonOK);
    OkButton.ModalResult := mrOk;
    OkButton.Default := True;
    Form.ActiveControl := OkButton;

    Result := (Form.ShowModal() = mrOk) and Check.Checked;
  finally
    Form.Free();
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { Ask after the user confirmed the uninstall; a silent uninstall always keeps the data. }
  if CurUninstallStep = usUninstall then
  begin
    DeleteUserData := False;
    if (not UninstallSilent()) and DirExists(UserDataDir()) then
      DeleteUserData := AskDeleteUserData();
  end;
  if (CurUninstallStep = usPostUninstall) and DeleteUserData then
  begin
    if not DelTree(UserDataDir(), True, True, True) then
      MsgBox(FmtMessage(CustomMessage('RemoveDataFailed'), [UserDataDir()]), mbError, MB_OK);
  end;
end;
