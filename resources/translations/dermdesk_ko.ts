<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AnalysisDock</name>
    <message>
        <location filename="../../dermdesk/ui/analysis/analysis_dock.py" line="61"/>
        <source>Analysis</source>
        <translation>분석</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/analysis_dock.py" line="188"/>
        <source>The still was not analysed.</source>
        <translation>정지 영상을 분석하지 못했습니다.</translation>
    </message>
</context>
<context>
    <name>AssessmentView</name>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="151"/>
        <source>&lt;b&gt;Refer to a dermatologist.&lt;/b&gt; {guidance}</source>
        <translation>&lt;b&gt;피부과 전문의에게 의뢰하십시오.&lt;/b&gt; {guidance}</translation>
    </message>
</context>
<context>
    <name>BodyMap</name>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="174"/>
        <source>Click the body to place a new lesion; click a marker to pick a lesion.</source>
        <translation>몸 그림을 클릭하면 새 병변이 추가되고, 표식을 클릭하면 병변이 선택됩니다.</translation>
    </message>
</context>
<context>
    <name>CalibrationDesk</name>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="86"/>
        <source>White balance from a reference card…</source>
        <translation>기준 카드로 화이트 밸런스 맞추기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="87"/>
        <source>Reset white balance</source>
        <translation>화이트 밸런스 초기화</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="88"/>
        <source>Scale from a ruler…</source>
        <translation>자로 배율 맞추기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="89"/>
        <source>Measure the selected still…</source>
        <translation>선택한 정지 영상 측정…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="90"/>
        <source>Lighting device…</source>
        <translation>조명 장치…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="114"/>
        <source>not calibrated at {magnification} — Camera ▸ Scale from a ruler…</source>
        <translation>{magnification}에서 보정되지 않음 — 카메라 ▸ 자로 배율 맞추기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="118"/>
        <source>{mm_per_pixel:.4f} mm per pixel at {magnification}</source>
        <translation>{magnification}에서 픽셀당 {mm_per_pixel:.4f} mm</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="123"/>
        <source>as the camera delivers it — Camera ▸ White balance from a reference card…</source>
        <translation>카메라가 보내는 그대로 — 카메라 ▸ 기준 카드로 화이트 밸런스 맞추기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="125"/>
        <source>from a reference card (blue × {value:.2f}, red × {value2:.2f})</source>
        <translation>기준 카드로 보정 (청색 × {value:.2f}, 적색 × {value2:.2f})</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="135"/>
        <source>White balance</source>
        <translation>화이트 밸런스</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="139"/>
        <source>Measure</source>
        <translation>측정</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="153"/>
        <source>Measuring the reference card…</source>
        <translation>기준 카드를 측정하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="161"/>
        <source>White balance not set</source>
        <translation>화이트 밸런스가 설정되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="169"/>
        <source>White balance set: blue × {blue:.2f}, red × {red:.2f}.</source>
        <translation>화이트 밸런스 설정됨: 청색 × {blue:.2f}, 적색 × {red:.2f}.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="178"/>
        <source>White balance reset: frames are no longer corrected.</source>
        <translation>화이트 밸런스 초기화됨: 이제 영상을 보정하지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="188"/>
        <source>No picture yet: put the ruler under the camera first.</source>
        <translation>아직 영상이 없습니다. 먼저 카메라 아래에 자를 놓으십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="208"/>
        <source>Scale for {camera_key} at {magnification}: {mm_per_pixel:.4f} mm per pixel ({pixels_per_mm:.1f} pixels per mm).</source>
        <translation>{camera_key}, {magnification}의 배율: 픽셀당 {mm_per_pixel:.4f} mm (mm당 {pixels_per_mm:.1f} 픽셀).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="233"/>
        <source>Capture a still first, then measure on it.</source>
        <translation>먼저 정지 영상을 촬영한 다음 그 위에서 측정하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="249"/>
        <source>Lighting device</source>
        <translation>조명 장치</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="252"/>
        <source>How the light of {camera_key} is switched — serial:PORT (LED ring), v4l2:/dev/videoN (camera LEDs) or dinolite; leave empty for none:</source>
        <translation>{camera_key}의 조명 전환 방식 — serial:PORT (LED 링), v4l2:/dev/videoN (카메라 LED) 또는 dinolite. 없으면 비워 두십시오:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="267"/>
        <source>Lighting device not set</source>
        <translation>조명 장치가 설정되지 않았습니다</translation>
    </message>
</context>
<context>
    <name>CameraControlsPanel</name>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_controls.py" line="86"/>
        <location filename="../../dermdesk/ui/capture/camera_controls.py" line="112"/>
        <source>Connecting…</source>
        <translation>연결 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_controls.py" line="91"/>
        <source>Contact dermatoscope (on the skin)</source>
        <translation>접촉식 더마토스코프 (피부에 댐)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_controls.py" line="93"/>
        <source>Untick for a non-contact dermatoscope; each still records which it was.</source>
        <translation>비접촉식 더마토스코프이면 선택을 해제하십시오. 정지 영상마다 어느 방식이었는지 기록됩니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_controls.py" line="131"/>
        <source>This source has no adjustable camera controls.</source>
        <translation>이 영상 소스에는 조절할 수 있는 카메라 설정이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_controls.py" line="144"/>
        <source>&lt;b&gt;Scale:&lt;/b&gt; {scale}&lt;br&gt;&lt;b&gt;White balance:&lt;/b&gt; {white_balance}</source>
        <translation>&lt;b&gt;배율:&lt;/b&gt; {scale}&lt;br&gt;&lt;b&gt;화이트 밸런스:&lt;/b&gt; {white_balance}</translation>
    </message>
</context>
<context>
    <name>CameraSection</name>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="172"/>
        <source>Camera at start</source>
        <translation>시작 시 카메라</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="185"/>
        <source>Source:</source>
        <translation>영상 소스:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="185"/>
        <source>Takes effect at the next start.</source>
        <translation>다음 시작 때부터 적용됩니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="187"/>
        <source>Camera number:</source>
        <translation>카메라 번호:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="188"/>
        <source>Picture size:</source>
        <translation>영상 크기:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="189"/>
        <source>Frames a second:</source>
        <translation>초당 프레임 수:</translation>
    </message>
</context>
<context>
    <name>CameraSelector</name>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_selector.py" line="61"/>
        <source>Virtual dermatoscope</source>
        <translation>가상 더마토스코프</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_selector.py" line="66"/>
        <source>Camera {index}</source>
        <translation>카메라 {index}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_selector.py" line="68"/>
        <source>Video: {name}</source>
        <translation>동영상: {name}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_selector.py" line="97"/>
        <source>Open a video file</source>
        <translation>동영상 파일 열기</translation>
    </message>
</context>
<context>
    <name>CaptureDesk</name>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="95"/>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="147"/>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="148"/>
        <source>Connecting…</source>
        <translation>연결 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="180"/>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="181"/>
        <source>Light not available</source>
        <translation>조명을 사용할 수 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="187"/>
        <source>not under software control for this source</source>
        <translation>이 영상 소스에서는 소프트웨어로 조명을 제어할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="228"/>
        <source>The camera&apos;s controls could not be read: {error}</source>
        <translation>카메라 설정을 읽지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="260"/>
        <source>Light not switched</source>
        <translation>조명이 전환되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="305"/>
        <source>Camera control: {error}</source>
        <translation>카메라 설정: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="339"/>
        <source>No still taken</source>
        <translation>정지 영상이 촬영되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="342"/>
        <source>Still busy with the previous still…</source>
        <translation>이전 정지 영상을 아직 처리하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="346"/>
        <source>Answer the quality check first: Keep anyway, Retake or Discard.</source>
        <translation>먼저 품질 검사에 답하십시오: 그래도 보관, 다시 촬영 또는 버리기.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="351"/>
        <source>No picture to capture yet.</source>
        <translation>아직 촬영할 영상이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="354"/>
        <source>Taking the still…</source>
        <translation>정지 영상을 촬영하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="365"/>
        <source>Still not taken</source>
        <translation>정지 영상이 촬영되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="386"/>
        <source>Still discarded.</source>
        <translation>정지 영상을 버렸습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="406"/>
        <source>Still not saved</source>
        <translation>정지 영상이 저장되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="420"/>
        <source>No lighting sequence taken</source>
        <translation>조명 연속 촬영을 하지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="423"/>
        <source>The lighting sequence cannot start now.</source>
        <translation>지금은 조명 연속 촬영을 시작할 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="426"/>
        <source>Tick at least one mode in the sequence menu.</source>
        <translation>연속 촬영 메뉴에서 조명 모드를 하나 이상 선택하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="431"/>
        <source>Lighting sequence: {modes} stills…</source>
        <translation>조명 연속 촬영: 정지 영상 {modes}장…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="453"/>
        <source>Lighting sequence stopped</source>
        <translation>조명 연속 촬영이 중단되었습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="458"/>
        <source>Lighting sequence not taken</source>
        <translation>조명 연속 촬영이 되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="463"/>
        <source>Lighting sequence: {kept} stills saved.</source>
        <translation>조명 연속 촬영: 정지 영상 {kept}장 저장됨.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/capture_desk.py" line="469"/>
        <source> Not kept (the quality check refused them; take them one at a time to decide): {details}</source>
        <translation> 보관하지 않음 (품질 검사 불합격. 한 장씩 촬영하여 판단하십시오): {details}</translation>
    </message>
</context>
<context>
    <name>CaptureFiler</name>
    <message>
        <location filename="../../dermdesk/ui/records/capture_filing.py" line="95"/>
        <source>{name} was NOT filed to {where}: {error}</source>
        <translation>{name}을(를) {where}에 저장하지 못했습니다: {error}</translation>
    </message>
</context>
<context>
    <name>CentralLink</name>
    <message>
        <location filename="../../dermdesk/ui/records/central_link.py" line="226"/>
        <source>Only an administrator can install a model update.</source>
        <translation>모델 업데이트는 관리자만 설치할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/central_link.py" line="244"/>
        <source>Only an administrator can decline a model update.</source>
        <translation>모델 업데이트는 관리자만 거절할 수 있습니다.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../dermdesk/ui/records/central_link.py" line="265"/>
        <source>Uploads: %n case(s) waiting, no central service set up</source>
        <translation>
            <numerusform>업로드: 사례 %n건 대기 중, 중앙 서비스가 설정되지 않음</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/central_link.py" line="270"/>
        <source>Uploads: {queued} queued · {sent} sent · {failed} failed</source>
        <translation>업로드: 대기 {queued} · 전송 완료 {sent} · 실패 {failed}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/central_link.py" line="275"/>
        <source>sending paused</source>
        <translation>전송 일시 중지됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/central_link.py" line="277"/>
        <source>not reaching the central service</source>
        <translation>중앙 서비스에 연결되지 않음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/central_link.py" line="279"/>
        <source>model update {version} waiting</source>
        <translation>모델 업데이트 {version} 대기 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/central_link.py" line="284"/>
        <source>Records ▸ Upload queue… shows the cases</source>
        <translation>기록 ▸ 업로드 대기열…에서 사례를 볼 수 있습니다</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="217"/>
        <source>Choose a new password for {username}. Your current password is needed.</source>
        <translation>{username}의 새 비밀번호를 정하십시오. 현재 비밀번호가 필요합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="222"/>
        <source>{username} signed in with a one-time password from an administrator. Choose your own password now (at least 10 characters); the one-time password then stops working.</source>
        <translation>{username}은(는) 관리자가 준 일회용 비밀번호로 로그인했습니다. 지금 자신의 비밀번호(10자 이상)를 정하십시오. 그러면 일회용 비밀번호는 더 이상 쓸 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="227"/>
        <source>DermDesk — choose your password</source>
        <translation>DermDesk — 비밀번호 정하기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="227"/>
        <source>Change password</source>
        <translation>비밀번호 변경</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="234"/>
        <source>Current password:</source>
        <translation>현재 비밀번호:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="238"/>
        <source>New password:</source>
        <translation>새 비밀번호:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="239"/>
        <source>New password again:</source>
        <translation>새 비밀번호 확인:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="243"/>
        <source>The two new passwords differ; type the same password twice.</source>
        <translation>두 새 비밀번호가 다릅니다. 같은 비밀번호를 두 번 입력하십시오.</translation>
    </message>
</context>
<context>
    <name>ClinicSection</name>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="90"/>
        <source>Clinic (letterhead of reports and letters)</source>
        <translation>의원 (보고서와 의뢰서의 머리글)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="96"/>
        <source>No logo</source>
        <translation>로고 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="97"/>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="107"/>
        <source>Clinic name:</source>
        <translation>의원 이름:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="109"/>
        <source>Address:</source>
        <translation>주소:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="109"/>
        <source>One line per line of the address.</source>
        <translation>주소 한 줄에 한 행씩 입력하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="111"/>
        <source>Phone:</source>
        <translation>전화:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="113"/>
        <source>Logo:</source>
        <translation>로고:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="113"/>
        <source>A PNG or JPEG picture, at most 10 MB.</source>
        <translation>PNG 또는 JPEG 그림, 최대 10 MB.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="115"/>
        <source>Paper:</source>
        <translation>용지:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="136"/>
        <source>Clinic logo</source>
        <translation>의원 로고</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="136"/>
        <source>Pictures (*.png *.jpg *.jpeg)</source>
        <translation>그림 (*.png *.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>ClinicSystemsSection</name>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="160"/>
        <source>PACS, worklist and EHR (the clinic&apos;s own systems)</source>
        <translation>PACS, 워크리스트, EHR (의원 자체 시스템)</translation>
    </message>
</context>
<context>
    <name>ConnectionSection</name>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="31"/>
        <source>Testing the connection to the central service</source>
        <translation>중앙 서비스 연결을 시험하는 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="41"/>
        <source>Central service (uploads and model updates)</source>
        <translation>중앙 서비스 (업로드와 모델 업데이트)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="49"/>
        <source> min</source>
        <translation>분</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="50"/>
        <source>Test connection</source>
        <translation>연결 시험</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="60"/>
        <source>Device token:</source>
        <translation>장치 토큰:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="63"/>
        <source>From clinic IT (dermdesk-central devices add). Kept readable by this station only; never shown again.</source>
        <translation>의원 IT 담당자에게서 받습니다(dermdesk-central devices add). 이 스테이션만 읽을 수 있게 보관되며 다시 표시되지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="67"/>
        <source>Send every:</source>
        <translation>전송 주기:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="76"/>
        <source>A token is stored; type a new one to replace it</source>
        <translation>토큰이 저장되어 있습니다. 바꾸려면 새 토큰을 입력하십시오</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="78"/>
        <source>No token yet</source>
        <translation>아직 토큰 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/connection_section.py" line="109"/>
        <source>Testing…</source>
        <translation>시험 중…</translation>
    </message>
</context>
<context>
    <name>ConsultDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="81"/>
        <source>DermDesk — ask a dermatologist about {record_number} {label}</source>
        <translation>DermDesk — {record_number} {label}에 대해 피부과 전문의에게 자문</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="91"/>
        <source>The model advises referral for this lesion. </source>
        <translation>모델이 이 병변의 의뢰를 권고합니다. </translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="94"/>
        <source>&lt;b&gt;{label}&lt;/b&gt; — {lesion_site}. {advice}The request leaves pseudonymised: no name, record number or birth date. Write the question without them.</source>
        <translation>&lt;b&gt;{label}&lt;/b&gt; — {lesion_site}. {advice}요청은 가명 처리되어 나갑니다: 이름, 등록번호, 생년월일은 포함되지 않습니다. 질문에도 이를 쓰지 마십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="103"/>
        <source>The clinical question, e.g. &apos;Changing naevus: excise or follow?&apos;</source>
        <translation>임상 질문, 예: &apos;변화하는 모반: 절제 또는 추적 관찰?&apos;</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="111"/>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="115"/>
        <source>unknown</source>
        <translation>알 수 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="112"/>
        <source> weeks</source>
        <translation> 주</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="124"/>
        <source>overview photo</source>
        <translation>전체 사진</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="127"/>
        <source>Image {id} · {isoformat} · {light}</source>
        <translation>영상 {id} · {isoformat} · {light}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="139"/>
        <source>Press &apos;Check what will leave&apos; to see exactly what is sent.</source>
        <translation>&apos;전송 내용 확인&apos;을 누르면 보내는 내용을 정확히 볼 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="143"/>
        <source>Record teleconsultation consent…</source>
        <translation>원격 자문 동의 기록…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="144"/>
        <source>Check what will leave</source>
        <translation>전송 내용 확인</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="145"/>
        <source>Send to a dermatologist</source>
        <translation>피부과 전문의에게 보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="147"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="160"/>
        <source>Question</source>
        <translation>질문</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="161"/>
        <source>Urgency</source>
        <translation>긴급도</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="162"/>
        <source>Duration</source>
        <translation>기간</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="163"/>
        <source>Skin type (Fitzpatrick)</source>
        <translation>피부 유형 (Fitzpatrick)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="168"/>
        <source>History</source>
        <translation>병력</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="171"/>
        <source>Pictures to send (white and polarised by default)</source>
        <translation>보낼 영상 (기본: 백색광과 편광)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="174"/>
        <source>What will leave</source>
        <translation>전송될 내용</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="224"/>
        <source>The patient has not consented to teleconsultation: sending is refused until the consent is recorded.</source>
        <translation>환자가 원격 자문에 동의하지 않았습니다. 동의가 기록될 때까지 보낼 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="235"/>
        <source>Teleconsultation consent</source>
        <translation>원격 자문 동의</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="237"/>
        <source>Has the patient agreed that pseudonymised pictures of this lesion and the question are sent to a dermatologist for an opinion? (This is separate from consent to research use.)</source>
        <translation>환자가 이 병변의 가명 처리된 영상과 질문을 피부과 전문의에게 보내 의견을 받는 데 동의했습니까? (연구 사용 동의와는 별개입니다.)</translation>
    </message>
</context>
<context>
    <name>ConsultInbox</name>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="79"/>
        <source>DermDesk — consult inbox (teledermatology)</source>
        <translation>DermDesk — 자문 수신함 (원격 피부과)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="102"/>
        <source>Check for answers</source>
        <translation>답변 확인</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="103"/>
        <source>Acknowledge answer</source>
        <translation>답변 확인 처리</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="105"/>
        <source>Record a {CLIP_SECONDS:g} s clip</source>
        <translation>{CLIP_SECONDS:g}초 영상 녹화</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="107"/>
        <source>Send more information</source>
        <translation>추가 정보 보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="108"/>
        <source>Cancel consult</source>
        <translation>자문 취소</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="109"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="128"/>
        <source>Newer stills of the lesion to send as more information</source>
        <translation>추가 정보로 보낼 이 병변의 최근 정지 영상</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="161"/>
        <source>answer to acknowledge</source>
        <translation>확인할 답변 있음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="196"/>
        <source>No consult yet. Ask a dermatologist from a lesion on the patient&apos;s page.</source>
        <translation>아직 자문이 없습니다. 환자 페이지의 병변에서 피부과 전문의에게 자문하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="199"/>
        <source>Question: {question}</source>
        <translation>질문: {question}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="201"/>
        <source>Urgent and unanswered for too long: refer the patient in person.</source>
        <translation>긴급 자문에 오랫동안 답이 없습니다. 환자를 직접 의뢰하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="205"/>
        <source>Sending problem: {last_error}</source>
        <translation>전송 문제: {last_error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="226"/>
        <source>Image {id} · {astimezone:%Y-%m-%d %H:%M} · {light}</source>
        <translation>영상 {id} · {astimezone:%Y-%m-%d %H:%M} · {light}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="237"/>
        <source>Sending consults and fetching answers…</source>
        <translation>자문을 보내고 답변을 받는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="243"/>
        <source>The central service could not be used: {error}</source>
        <translation>중앙 서비스를 사용할 수 없었습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="245"/>
        <source>Consults: {summary}</source>
        <translation>자문: {summary}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="258"/>
        <source>The answer to consult {id} is acknowledged.</source>
        <translation>자문 {id}의 답변을 확인 처리했습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="268"/>
        <source>Recording {CLIP_SECONDS:g} seconds from the live picture — hold still…</source>
        <translation>실시간 영상에서 {CLIP_SECONDS:g}초 녹화 중 — 움직이지 마십시오…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="287"/>
        <source>Clip recorded ({seconds:.1f} s); press &apos;Send more information&apos;.</source>
        <translation>영상 녹화됨 ({seconds:.1f}초). &apos;추가 정보 보내기&apos;를 누르십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="307"/>
        <source>More information for consult {id} is queued.</source>
        <translation>자문 {id}의 추가 정보가 전송 대기열에 들어갔습니다.</translation>
    </message>
</context>
<context>
    <name>DiagnosisForm</name>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="126"/>
        <source>DermDesk — diagnosis of {record_number} {label}</source>
        <translation>DermDesk — {record_number} {label} 진단</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="167"/>
        <source>Your unsaved diagnosis from before the records locked is back; it is not filed yet.</source>
        <translation>기록이 잠기기 전에 저장하지 않은 진단을 되살렸습니다. 아직 저장되지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="196"/>
        <source>Choose a diagnosis…</source>
        <translation>진단 선택…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="200"/>
        <source>Other (free text)…</source>
        <translation>기타 (직접 입력)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="202"/>
        <source>diagnosis in words, when none of the classes fits</source>
        <translation>해당하는 분류가 없을 때 진단명을 직접 입력</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="208"/>
        <source>notes (optional)</source>
        <translation>메모 (선택)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="211"/>
        <source>Record</source>
        <translation>기록</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="212"/>
        <source>Record and sign…</source>
        <translation>기록 후 서명…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="213"/>
        <source>Sign selected…</source>
        <translation>선택한 진단 서명…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="215"/>
        <source>Diagnosis:</source>
        <translation>진단:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="216"/>
        <source>Other:</source>
        <translation>기타:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="217"/>
        <source>Confirmed by:</source>
        <translation>확진 방법:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="218"/>
        <source>Notes:</source>
        <translation>메모:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="219"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="231"/>
        <source>Diagnoses of this lesion:</source>
        <translation>이 병변의 진단:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="237"/>
        <source>New diagnosis:</source>
        <translation>새 진단:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="252"/>
        <source>Sign in to record diagnoses.</source>
        <translation>진단을 기록하려면 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="277"/>
        <source>No diagnosis recorded yet.</source>
        <translation>아직 기록된 진단이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="329"/>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="349"/>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="385"/>
        <source>The records are locked; sign in again.</source>
        <translation>기록이 잠겼습니다. 다시 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="360"/>
        <source>Sign “{diagnosis_text}” for {label} as final.</source>
        <translation>{label}의 “{diagnosis_text}” 진단을 최종으로 서명합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="365"/>
        <source>Sign “{diagnosis_text}” as final.</source>
        <translation>“{diagnosis_text}” 진단을 최종으로 서명합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="422"/>
        <source>Signing failed: {error}</source>
        <translation>서명하지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="427"/>
        <source> Sign again here to sign yours as an amendment of diagnosis {current_id}.</source>
        <translation> 여기에서 다시 서명하면 진단 {current_id}의 수정으로 서명됩니다.</translation>
    </message>
</context>
<context>
    <name>DicomExportDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="76"/>
        <source>Export DICOM</source>
        <translation>DICOM 내보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="84"/>
        <source>the newest visit</source>
        <translation>가장 최근 방문</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="84"/>
        <source>the visit {visit}</source>
        <translation>{visit} 방문</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="88"/>
        <source>Writes {which} of {record_number} as DICOM files: dermoscopy and other stills, the signed report (PDF) and the model&apos;s results. The files carry the patient&apos;s name and record number; keep them within the clinic.</source>
        <translation>{record_number}의 {which}을(를) DICOM 파일로 저장합니다: 더모스코피 및 기타 정지 영상, 서명된 보고서(PDF), 모델 결과. 파일에 환자 이름과 등록번호가 들어 있으니 의원 밖으로 내보내지 마십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="96"/>
        <source>Folder for the .dcm files</source>
        <translation>.dcm 파일을 저장할 폴더</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="97"/>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="98"/>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="100"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="127"/>
        <source>Folder for the DICOM files</source>
        <translation>DICOM 파일을 저장할 폴더</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="136"/>
        <source>Writing the DICOM files…</source>
        <translation>DICOM 파일을 쓰는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="146"/>
        <source>Folder: {strip}</source>
        <translation>폴더: {strip}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/dicom_export_dialog.py" line="156"/>
        <source>The export failed: {error}</source>
        <translation>내보내기에 실패했습니다: {error}</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../dermdesk/ui/common/error_dialog.py" line="52"/>
        <source>{messages} errors occurred. The newest:
{summary}</source>
        <translation>오류가 {messages}건 발생했습니다. 가장 최근 오류:
{summary}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/error_dialog.py" line="60"/>
        <source>DermDesk — something went wrong</source>
        <translation>DermDesk — 문제가 발생했습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/error_dialog.py" line="63"/>
        <source>The station keeps running. If this happens again, please send the log file to IT.</source>
        <translation>스테이션은 계속 실행됩니다. 다시 발생하면 로그 파일을 IT 담당자에게 보내 주십시오.</translation>
    </message>
</context>
<context>
    <name>FhirExportDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="225"/>
        <source>Writes {which} of {record_number} as a FHIR R4 Bundle: patient, encounter, lesions, pictures, the model&apos;s results and the signed report (PDF). It carries the patient&apos;s name and record number: keep the file within the clinic.</source>
        <translation>{record_number}의 {which}을(를) FHIR R4 Bundle로 저장합니다: 환자, 진료, 병변, 영상, 모델 결과, 서명된 보고서(PDF). 환자 이름과 등록번호가 들어 있으니 파일을 의원 밖으로 내보내지 마십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="231"/>
        <source>Export FHIR</source>
        <translation>FHIR 내보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="234"/>
        <source>File for the Bundle (.json)</source>
        <translation>Bundle 파일 (.json)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="235"/>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="236"/>
        <source>Save file</source>
        <translation>파일 저장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="237"/>
        <source>Send to EHR</source>
        <translation>EHR로 보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="240"/>
        <source>No EHR is configured (Settings ▸ PACS / EHR)</source>
        <translation>EHR이 설정되지 않았습니다 (설정 ▸ PACS / EHR)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="263"/>
        <source>FHIR Bundle file</source>
        <translation>FHIR Bundle 파일</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="263"/>
        <source>FHIR JSON (*.json)</source>
        <translation>FHIR JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="271"/>
        <source>Writing the FHIR Bundle…</source>
        <translation>FHIR Bundle을 쓰는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="280"/>
        <source>FHIR Bundle of {entries} resources written to {path}.</source>
        <translation>리소스 {entries}개의 FHIR Bundle을 {path}에 저장했습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="289"/>
        <source>Writing the FHIR Bundle</source>
        <translation>FHIR Bundle 쓰기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="293"/>
        <source>Sending to the EHR…</source>
        <translation>EHR로 보내는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="302"/>
        <source>Sending to the EHR</source>
        <translation>EHR로 보내기</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="117"/>
        <source>DermDesk — first start</source>
        <translation>DermDesk — 처음 시작</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="119"/>
        <source>No accounts exist yet. Create the first administrator account; the administrator then adds accounts for staff and doctors. Administrators manage accounts and backups but do not see patient records.</source>
        <translation>아직 계정이 없습니다. 첫 관리자 계정을 만드십시오. 관리자가 직원과 의사의 계정을 추가합니다. 관리자는 계정과 백업을 관리하지만 환자 기록은 볼 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="124"/>
        <source>Create administrator</source>
        <translation>관리자 만들기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="131"/>
        <source>User name:</source>
        <translation>사용자 이름:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="132"/>
        <source>Full name:</source>
        <translation>성명:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="133"/>
        <source>Password:</source>
        <translation>비밀번호:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="134"/>
        <source>Password again:</source>
        <translation>비밀번호 확인:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="138"/>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>두 비밀번호가 다릅니다. 같은 비밀번호를 두 번 입력하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="140"/>
        <source>Creating…</source>
        <translation>만드는 중…</translation>
    </message>
</context>
<context>
    <name>InteropSettingsSection</name>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="46"/>
        <source>DICOMweb (STOW-RS)</source>
        <translation>DICOMweb (STOW-RS)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="47"/>
        <source>DICOM network (C-STORE)</source>
        <translation>DICOM 네트워크 (C-STORE)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="58"/>
        <source>DICOM over TLS</source>
        <translation>TLS를 통한 DICOM</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="60"/>
        <source>the PACS&apos;s address when empty</source>
        <translation>비워 두면 PACS 주소</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="65"/>
        <source>bearer token, if the EHR asks for one</source>
        <translation>EHR이 요구하는 경우 Bearer 토큰</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="67"/>
        <source>Allow unencrypted connections to other machines (only on an isolated clinic network)</source>
        <translation>다른 컴퓨터와의 암호화되지 않은 연결 허용 (격리된 의원 네트워크에서만)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="72"/>
        <source>Send by:</source>
        <translation>전송 방식:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="73"/>
        <source>DICOMweb address:</source>
        <translation>DICOMweb 주소:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="74"/>
        <source>DICOM host:</source>
        <translation>DICOM 호스트:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="75"/>
        <source>DICOM port:</source>
        <translation>DICOM 포트:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="76"/>
        <source>PACS AE title:</source>
        <translation>PACS AE 타이틀:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="77"/>
        <source>This station&apos;s AE title:</source>
        <translation>이 스테이션의 AE 타이틀:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="79"/>
        <source>Worklist host:</source>
        <translation>워크리스트 호스트:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="80"/>
        <source>EHR (FHIR R4)</source>
        <translation>EHR (FHIR R4)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="82"/>
        <source>FHIR address:</source>
        <translation>FHIR 주소:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="83"/>
        <source>Token:</source>
        <translation>토큰:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="138"/>
        <source>FHIR endpoint</source>
        <translation>FHIR 엔드포인트</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/interop_settings.py" line="151"/>
        <source>No PACS or EHR configured.</source>
        <translation>PACS나 EHR이 설정되지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>LanguageSection</name>
    <message>
        <location filename="../../dermdesk/ui/admin/language_section.py" line="25"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/language_section.py" line="28"/>
        <source>System ({language})</source>
        <translation>시스템 ({language})</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/language_section.py" line="33"/>
        <source>Language:</source>
        <translation>언어:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/language_section.py" line="35"/>
        <source>The windows switch at once when saved; nothing typed is lost.</source>
        <translation>저장하면 창이 바로 바뀌며 입력한 내용은 그대로 남습니다.</translation>
    </message>
</context>
<context>
    <name>LesionTimeline</name>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="252"/>
        <source>DermDesk — {record_number} {label} timeline</source>
        <translation>DermDesk — {record_number} {label} 경과</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="265"/>
        <source>&lt;b&gt;{label}&lt;/b&gt; — {lesion_site} · first seen {isoformat} · {plural} from {plural2}. Wheel: zoom all · drag: pan all.</source>
        <translation>&lt;b&gt;{label}&lt;/b&gt; — {lesion_site} · 처음 관찰 {isoformat} · {plural2}에서 {plural}. 휠: 모두 확대/축소 · 끌기: 모두 이동.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="277"/>
        <source>Fit</source>
        <translation>맞춤</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="283"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="297"/>
        <source>Reading the pictures…</source>
        <translation>영상을 읽는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="297"/>
        <source>No pictures of this lesion yet.</source>
        <translation>이 병변의 영상이 아직 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="318"/>
        <source>The pictures could not be read: {error}</source>
        <translation>영상을 읽지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="343"/>
        <source>Missing picture</source>
        <translation>영상 없음</translation>
    </message>
</context>
<context>
    <name>LightingPanel</name>
    <message>
        <location filename="../../dermdesk/ui/capture/lighting_panel.py" line="51"/>
        <source>Light:</source>
        <translation>조명:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/lighting_panel.py" line="58"/>
        <source>Lighting sequence</source>
        <translation>조명 연속 촬영</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/lighting_panel.py" line="60"/>
        <source>One still per ticked lighting mode (choose the modes with the arrow)</source>
        <translation>선택한 조명 모드마다 정지 영상 한 장 (화살표로 모드 선택)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/lighting_panel.py" line="69"/>
        <source>Connecting…</source>
        <translation>연결 중…</translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message>
        <location filename="../../dermdesk/ui/capture/live_view.py" line="55"/>
        <source>No picture yet</source>
        <translation>아직 영상이 없습니다</translation>
    </message>
</context>
<context>
    <name>LogDock</name>
    <message>
        <location filename="../../dermdesk/ui/shell/log_view.py" line="44"/>
        <source>Log</source>
        <translation>로그</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="154"/>
        <source>DermDesk — sign in</source>
        <translation>DermDesk — 로그인</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="154"/>
        <source>Sign in to see and file patient records.</source>
        <translation>환자 기록을 보고 저장하려면 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="156"/>
        <source>DermDesk — locked</source>
        <translation>DermDesk — 잠김</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="157"/>
        <source>were locked after a while without use</source>
        <translation>한동안 사용하지 않아 잠겼습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="157"/>
        <source>are locked</source>
        <translation>잠겨 있습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="159"/>
        <source>The records {why}; patient data is hidden. {locked_user}, enter your password to continue, or sign in with another account.</source>
        <translation>기록이 {why}. 환자 정보가 가려져 있습니다. {locked_user}, 계속하려면 비밀번호를 입력하거나 다른 계정으로 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="162"/>
        <source>Sign in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="165"/>
        <source>User name:</source>
        <translation>사용자 이름:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="166"/>
        <source>Password:</source>
        <translation>비밀번호:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="73"/>
        <source>DermDesk — capture station</source>
        <translation>DermDesk — 촬영 스테이션</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="91"/>
        <source>Capture still  (Space)</source>
        <translation>정지 영상 촬영  (Space)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="97"/>
        <source>— fps</source>
        <translation>— fps</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="105"/>
        <source>Log file: {log_file}</source>
        <translation>로그 파일: {log_file}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="128"/>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="138"/>
        <source>Source, light and capture</source>
        <translation>영상 소스, 조명, 촬영</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="140"/>
        <source> Source: </source>
        <translation> 영상 소스: </translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="166"/>
        <source>&amp;Capture still</source>
        <translation>정지 영상 촬영(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="170"/>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="173"/>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="177"/>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="180"/>
        <source>&amp;Camera</source>
        <translation>카메라(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="181"/>
        <source>&amp;About DermDesk</source>
        <translation>DermDesk 정보(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="183"/>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="193"/>
        <source>Connecting to {spec}…</source>
        <translation>{spec}에 연결하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="229"/>
        <source>{source_name} is not delivering pictures: {reason}</source>
        <translation>{source_name}에서 영상이 들어오지 않습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="235"/>
        <source>{source_name}: {value} — trying to reconnect (attempt {attempt})…</source>
        <translation>{source_name}: {value} — 다시 연결하는 중 ({attempt}번째 시도)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="237"/>
        <source>disconnected</source>
        <translation>연결 끊김</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="246"/>
        <source>Virtual dermatoscope</source>
        <translation>가상 더마토스코프</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="247"/>
        <source>{source_name} connected</source>
        <translation>{source_name} 연결됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="307"/>
        <source>The still was not saved.</source>
        <translation>정지 영상이 저장되지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="311"/>
        <source>Still not saved</source>
        <translation>정지 영상이 저장되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="317"/>
        <source>Stills of this session: {count} — in {parent}</source>
        <translation>이번 세션의 정지 영상: {count}장 — {parent}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="322"/>
        <source>Saved {name} in {parent}</source>
        <translation>{name}을(를) {parent}에 저장했습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="332"/>
        <source>{fps:.1f} fps</source>
        <translation>{fps:.1f} fps</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="340"/>
        <source>Small screen: </source>
        <translation>작은 화면: </translation>
    </message>
</context>
<context>
    <name>MeasureDialog</name>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="136"/>
        <source>Measure — {name}</source>
        <translation>측정 — {name}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="142"/>
        <source>Opening the still…</source>
        <translation>정지 영상을 여는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="144"/>
        <source>Click one edge of the lesion, then the opposite edge.</source>
        <translation>병변의 한쪽 가장자리를 클릭한 다음 반대쪽 가장자리를 클릭하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="156"/>
        <source>The still could not be opened: {error}</source>
        <translation>정지 영상을 열지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="165"/>
        <source>No scale for this camera yet: distances are shown in pixels. Calibrate with a ruler (Calibrate ▸ Scale from a ruler…) to measure in millimetres.</source>
        <translation>이 카메라에는 아직 배율이 없어 거리가 픽셀로 표시됩니다. 밀리미터로 측정하려면 자로 보정하십시오 (보정 ▸ 자로 배율 맞추기…).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="172"/>
        <source>Scale: {mm_per_pixel_for:.4f} mm per pixel. Click twice.</source>
        <translation>배율: 픽셀당 {mm_per_pixel_for:.4f} mm. 두 번 클릭하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="186"/>
        <source>{pixels:.0f} pixels — no scale yet (calibrate with a ruler).</source>
        <translation>{pixels:.0f} 픽셀 — 아직 배율 없음 (자로 보정하십시오).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="195"/>
        <source>Diameter: {millimetres:.2f} mm</source>
        <translation>지름: {millimetres:.2f} mm</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/measure_tool.py" line="199"/>
        <source>That click was beside the picture — click on the lesion&apos;s edges.</source>
        <translation>영상 바깥을 클릭했습니다. 병변의 가장자리를 클릭하십시오.</translation>
    </message>
</context>
<context>
    <name>ModelUpdateDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="48"/>
        <source>DermDesk — model update</source>
        <translation>DermDesk — 모델 업데이트</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="52"/>
        <source>&lt;b&gt;{name} {new}&lt;/b&gt; is available (this station uses {current}). It is signed by a key this station trusts and its files and reference pictures were checked.</source>
        <translation>&lt;b&gt;{name} {new}&lt;/b&gt;을(를) 사용할 수 있습니다(이 스테이션은 {current} 사용 중). 이 스테이션이 신뢰하는 키로 서명되어 있으며 파일과 기준 사진을 확인했습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="57"/>
        <source>the shipped model</source>
        <translation>기본 제공 모델</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="64"/>
        <source>Figure (model card)</source>
        <translation>지표 (모델 카드)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="64"/>
        <source>In use</source>
        <translation>사용 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="64"/>
        <source>Offered</source>
        <translation>제안됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="64"/>
        <source>Change</source>
        <translation>변화</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="80"/>
        <source>Figures from the offered model&apos;s test pictures ({n}).</source>
        <translation>제안된 모델의 시험 사진({n}장)에서 얻은 수치입니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="85"/>
        <source>Install</source>
        <translation>설치</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="86"/>
        <source>Decline this version</source>
        <translation>이 버전 거절</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="87"/>
        <source>Later</source>
        <translation>나중에</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="92"/>
        <source>An administrator installs or declines model updates.</source>
        <translation>모델 업데이트의 설치와 거절은 관리자가 합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="121"/>
        <source>Not installed: {reason}</source>
        <translation>설치하지 않음: {reason}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="126"/>
        <source>Installed: {name} {version} is installed; the station uses it from its next start.</source>
        <translation>설치됨: {name} {version}이(가) 설치되었습니다. 스테이션은 다음 시작부터 이 모델을 사용합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/model_update_dialog.py" line="131"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>NewLesionDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_dialog.py" line="41"/>
        <source>New lesion</source>
        <translation>새 병변</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_dialog.py" line="51"/>
        <source>e.g. right forearm, 5 cm below the elbow</source>
        <translation>예: 오른쪽 아래팔, 팔꿈치 5 cm 아래</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_dialog.py" line="56"/>
        <source>{view} view, {x:.0%} across and {y:.0%} down the figure.</source>
        <translation>{view} 그림, 가로 {x:.0%}, 세로 {y:.0%} 위치.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_dialog.py" line="64"/>
        <source>Add lesion</source>
        <translation>병변 추가</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_dialog.py" line="70"/>
        <source>Body site:</source>
        <translation>신체 부위:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_dialog.py" line="71"/>
        <source>Description:</source>
        <translation>설명:</translation>
    </message>
</context>
<context>
    <name>NewPatientDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="52"/>
        <source>New patient</source>
        <translation>새 환자</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="64"/>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="71"/>
        <source>phone or e-mail (optional)</source>
        <translation>전화 또는 이메일 (선택)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="73"/>
        <source>Clinic&apos;s default</source>
        <translation>병원 기본값</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="77"/>
        <source>The language of this patient&apos;s reports and referral letters</source>
        <translation>이 환자의 보고서와 의뢰서에 쓰는 언어</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="79"/>
        <source>Consents to pseudonymised research use of the pictures</source>
        <translation>영상을 가명 처리하여 연구에 사용하는 데 동의함</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="81"/>
        <source>Register patient</source>
        <translation>환자 등록</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="87"/>
        <source>Record number:</source>
        <translation>등록번호:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="88"/>
        <source>Given name:</source>
        <translation>이름:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="89"/>
        <source>Family name:</source>
        <translation>성:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="90"/>
        <source>Date of birth:</source>
        <translation>생년월일:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="91"/>
        <source>Sex:</source>
        <translation>성별:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="92"/>
        <source>Fitzpatrick skin type:</source>
        <translation>Fitzpatrick 피부 유형:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="93"/>
        <source>Contact:</source>
        <translation>연락처:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="94"/>
        <source>Language of reports:</source>
        <translation>보고서 언어:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="119"/>
        <source>date of birth</source>
        <translation>생년월일</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="127"/>
        <source>Choose the patient&apos;s sex (choose “unknown” if it is not known).</source>
        <translation>환자의 성별을 선택하십시오 (모르면 “알 수 없음”을 선택).</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../dermdesk/ui/shell/notice_bar.py" line="19"/>
        <source>Notices</source>
        <translation>알림</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/notice_bar.py" line="26"/>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>OwnPassword</name>
    <message>
        <location filename="../../dermdesk/ui/admin/own_password.py" line="50"/>
        <source>The records are locked; sign in again.</source>
        <translation>기록이 잠겼습니다. 다시 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/own_password.py" line="63"/>
        <source>Not changed: {error}</source>
        <translation>변경되지 않았습니다: {error}</translation>
    </message>
</context>
<context>
    <name>PacsSendDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="171"/>
        <source>no PACS configured (ask clinic IT: Settings ▸ PACS / EHR)</source>
        <translation>PACS가 설정되지 않음 (의원 IT 담당자에게 문의: 설정 ▸ PACS / EHR)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="174"/>
        <source>Sends {which} of {record_number} to the clinic&apos;s PACS ({where}): the stills, the signed report and the model&apos;s results, with the same DICOM UIDs every time. If the PACS cannot take them now they wait in this station&apos;s outbox and go with the next send.</source>
        <translation>{record_number}의 {which}을(를) 의원의 PACS({where})로 보냅니다: 정지 영상, 서명된 보고서, 모델 결과를 매번 같은 DICOM UID로 보냅니다. PACS가 지금 받을 수 없으면 이 스테이션의 전송함에서 기다렸다가 다음 전송 때 함께 갑니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="180"/>
        <source>Send to PACS</source>
        <translation>PACS로 보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="182"/>
        <source>Send</source>
        <translation>보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="198"/>
        <source>Sending to the PACS…</source>
        <translation>PACS로 보내는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="207"/>
        <source>Sending to the PACS</source>
        <translation>PACS로 보내기</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="187"/>
        <source>DermDesk — confirm with your password</source>
        <translation>DermDesk — 비밀번호로 확인</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="188"/>
        <source>{purpose} Enter the password of {username} to confirm.</source>
        <translation>{purpose} 확인하려면 {username}의 비밀번호를 입력하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="191"/>
        <source>Sign</source>
        <translation>서명</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/sign_in_dialogs.py" line="195"/>
        <source>Password:</source>
        <translation>비밀번호:</translation>
    </message>
</context>
<context>
    <name>PatientBanner</name>
    <message>
        <location filename="../../dermdesk/ui/common/patient_banner.py" line="25"/>
        <source>{name} · {record_number} · born {born} ({age} y) · {sex}</source>
        <translation>{name} · {record_number} · {born} 생 (만 {age}세) · {sex}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/patient_banner.py" line="101"/>
        <source>Patient: </source>
        <translation>환자: </translation>
    </message>
</context>
<context>
    <name>PatientList</name>
    <message>
        <location filename="../../dermdesk/ui/records/patient_list.py" line="55"/>
        <source>Search: names in any order, record number or birth date…</source>
        <translation>검색: 이름(순서 무관), 등록번호 또는 생년월일…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_list.py" line="57"/>
        <source>New patient…</source>
        <translation>새 환자…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_list.py" line="92"/>
        <source>{patients} patient(s)</source>
        <translation>환자 {patients}명</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_list.py" line="93"/>
        <source> matching “{searched}”</source>
        <translation> (“{searched}” 검색 결과)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_list.py" line="97"/>
        <source>No patient matches “{searched}”.</source>
        <translation>“{searched}”에 해당하는 환자가 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_list.py" line="99"/>
        <source>No patients yet.</source>
        <translation>아직 환자가 없습니다.</translation>
    </message>
</context>
<context>
    <name>PatientPage</name>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="57"/>
        <source>← Patients</source>
        <translation>← 환자 목록</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="67"/>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="231"/>
        <source>File captures here</source>
        <translation>여기에 촬영 저장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="68"/>
        <source>Stills taken from now on are filed to the chosen lesion</source>
        <translation>지금부터 촬영하는 정지 영상은 선택한 병변에 저장됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="69"/>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="232"/>
        <source>Timeline…</source>
        <translation>경과…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="70"/>
        <source>Diagnosis…</source>
        <translation>진단…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="71"/>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="233"/>
        <source>Ask a dermatologist…</source>
        <translation>피부과 전문의 자문…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="72"/>
        <source>Send this lesion&apos;s stills and a question to a dermatologist</source>
        <translation>이 병변의 정지 영상과 질문을 피부과 전문의에게 보냅니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="73"/>
        <source>Report…</source>
        <translation>보고서…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="75"/>
        <source>The report of the chosen visit (the newest when none is chosen)</source>
        <translation>선택한 방문의 보고서 (선택하지 않으면 가장 최근 방문)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="78"/>
        <source>Export DICOM…</source>
        <translation>DICOM 내보내기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="80"/>
        <source>The chosen visit&apos;s stills, signed report and model results for the PACS</source>
        <translation>PACS용으로 선택한 방문의 정지 영상, 서명된 보고서, 모델 결과</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="83"/>
        <source>Send to PACS</source>
        <translation>PACS로 보내기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="85"/>
        <source>The chosen visit to the clinic&apos;s PACS (waits in the outbox if it is away)</source>
        <translation>선택한 방문을 의원의 PACS로 보냅니다 (연결되지 않으면 전송함에서 대기)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="87"/>
        <source>Export FHIR…</source>
        <translation>FHIR 내보내기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="89"/>
        <source>The chosen visit as a FHIR Bundle: a file, or sent to the clinic&apos;s EHR</source>
        <translation>선택한 방문을 FHIR Bundle로: 파일로 저장하거나 의원의 EHR로 보냅니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="120"/>
        <source>Lesions (click a marker or a row):</source>
        <translation>병변 (표식이나 행을 클릭):</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="125"/>
        <source>Visits:</source>
        <translation>방문:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="165"/>
        <source>{isoformat} — seen by {clinician}</source>
        <translation>{isoformat} — 진료: {clinician}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="176"/>
        <source>No visits yet: the first capture or diagnosis opens today&apos;s visit.</source>
        <translation>아직 방문이 없습니다. 첫 촬영이나 진단이 오늘 방문을 엽니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="217"/>
        <source>File captures to {label}</source>
        <translation>{label}에 촬영 저장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="218"/>
        <source>{label} timeline…</source>
        <translation>{label} 경과…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="222"/>
        <source>Ask a dermatologist about {label}…</source>
        <translation>{label}에 대해 피부과 전문의 자문…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/patient_page.py" line="223"/>
        <source> (referral advised)</source>
        <translation> (의뢰 권고)</translation>
    </message>
</context>
<context>
    <name>PictureActions</name>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="38"/>
        <source>In reports</source>
        <translation>보고서에 포함</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="42"/>
        <source>Untick to leave this picture out of visit reports and referral letters (it stays in the record; the change is audited).</source>
        <translation>선택을 해제하면 이 영상이 방문 보고서와 진료 의뢰서에서 빠집니다 (기록에는 남으며 변경은 감사 기록에 남습니다).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="47"/>
        <source>Move to lesion…</source>
        <translation>다른 병변으로 옮기기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="51"/>
        <source>Move</source>
        <translation>옮기기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="90"/>
        <source>Picture {number} was not changed: {error}</source>
        <translation>영상 {number}을(를) 변경하지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="97"/>
        <source>Picture {number} {where}.</source>
        <translation>영상 {number}: {where}.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="126"/>
        <source>Picture {number} was not moved: {error}</source>
        <translation>영상 {number}을(를) 옮기지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="133"/>
        <source>Picture {number} moved to lesion {label}.</source>
        <translation>영상 {number}을(를) 병변 {label}(으)로 옮겼습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="95"/>
        <source>goes into reports again</source>
        <translation>다시 보고서에 포함됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/picture_actions.py" line="95"/>
        <source>is left out of reports</source>
        <translation>보고서에서 제외됩니다</translation>
    </message>
</context>
<context>
    <name>PictureRecheck</name>
    <message>
        <location filename="../../dermdesk/ui/records/picture_recheck.py" line="76"/>
        <source>Damaged pictures</source>
        <translation>손상된 영상</translation>
    </message>
</context>
<context>
    <name>QualityDialog</name>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="76"/>
        <source>Check this still</source>
        <translation>이 정지 영상 확인</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="91"/>
        <source>Retake</source>
        <translation>다시 촬영</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="93"/>
        <source>Keep anyway</source>
        <translation>그래도 보관</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="94"/>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="97"/>
        <source>A blank picture shows nothing and cannot be kept.</source>
        <translation>빈 영상에는 아무것도 보이지 않으므로 보관할 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="100"/>
        <source>Keep it: the still is marked “kept despite the quality check”.</source>
        <translation>보관: 이 정지 영상에 “품질 검사에도 불구하고 보관”이 표시됩니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="102"/>
        <source>Throw this still away.</source>
        <translation>이 정지 영상을 버립니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="111"/>
        <source>This still may not be good enough:</source>
        <translation>이 정지 영상의 품질이 충분하지 않을 수 있습니다:</translation>
    </message>
</context>
<context>
    <name>RecordWording</name>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="26"/>
        <source>1 picture</source>
        <translation>영상 1장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="27"/>
        <source>{count} pictures</source>
        <translation>영상 {count}장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="32"/>
        <source>1 visit</source>
        <translation>방문 1회</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="33"/>
        <source>{count} visits</source>
        <translation>방문 {count}회</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="40"/>
        <source>{pictures} over {visits}</source>
        <translation>{visits}, {pictures}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="49"/>
        <source>signed</source>
        <translation>서명됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="51"/>
        <source>not signed</source>
        <translation>서명 안 됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="61"/>
        <source>research use consented</source>
        <translation>연구 사용 동의함</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="63"/>
        <source>no research consent</source>
        <translation>연구 사용 동의 안 함</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/record_wording.py" line="65"/>
        <source>&lt;b&gt;{name}&lt;/b&gt; — {record_number}&lt;br&gt;born {born}, {sex}{skin}; {consent}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; — {record_number}&lt;br&gt;{born} 생, {sex}{skin}; {consent}</translation>
    </message>
</context>
<context>
    <name>RecordsDock</name>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="70"/>
        <source>Patients</source>
        <translation>환자</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="77"/>
        <source>Lock</source>
        <translation>잠금</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="78"/>
        <source>Sign out</source>
        <translation>로그아웃</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="79"/>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="97"/>
        <source>Opening the patient records…</source>
        <translation>환자 기록을 여는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="82"/>
        <source>Sign in…</source>
        <translation>로그인…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="137"/>
        <source>Sign in to see patient records.</source>
        <translation>환자 기록을 보려면 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="142"/>
        <source>Locked: patient data is hidden. Sign in again.</source>
        <translation>잠김: 환자 정보가 가려져 있습니다. 다시 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="145"/>
        <source>Signed out. Sign in to see patient records.</source>
        <translation>로그아웃했습니다. 환자 기록을 보려면 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="188"/>
        <source>Signed in: &lt;b&gt;{display_name}&lt;/b&gt; ({value})</source>
        <translation>로그인: &lt;b&gt;{display_name}&lt;/b&gt; ({value})</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/records_dock.py" line="213"/>
        <source>The records are locked; sign in again.</source>
        <translation>기록이 잠겼습니다. 다시 로그인하십시오.</translation>
    </message>
</context>
<context>
    <name>RecordsSession</name>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="200"/>
        <source>The patient records could not be opened: {error}</source>
        <translation>환자 기록을 열지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="209"/>
        <source>Records server connected</source>
        <translation>기록 서버 연결됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="232"/>
        <source>Records server: {error}</source>
        <translation>기록 서버: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="239"/>
        <source>Records server reachable again</source>
        <translation>기록 서버에 다시 연결됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="282"/>
        <source>The patient records are not open.</source>
        <translation>환자 기록이 열려 있지 않습니다.</translation>
    </message>
</context>
<context>
    <name>RecordsStation</name>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="109"/>
        <source>Stop filing</source>
        <translation>저장 중지</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="110"/>
        <source>Stills are kept in the session folder only</source>
        <translation>정지 영상은 세션 폴더에만 보관됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="142"/>
        <source>&amp;Records</source>
        <translation>기록(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="143"/>
        <source>&amp;Lock now</source>
        <translation>지금 잠그기(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="145"/>
        <source>Sign &amp;out</source>
        <translation>로그아웃(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="146"/>
        <source>&amp;Change my password…</source>
        <translation>내 비밀번호 변경(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="147"/>
        <source>Station &amp;settings…</source>
        <translation>스테이션 설정(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="149"/>
        <source>Administrators: clinic letterhead, paper, lock, camera, uploads</source>
        <translation>관리자: 의원 머리글, 용지, 잠금, 카메라, 업로드</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="154"/>
        <source>Today&apos;s &amp;worklist…</source>
        <translation>오늘의 워크리스트(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="156"/>
        <source>Consult &amp;inbox (teledermatology)…</source>
        <translation>자문 수신함 (원격 피부과)(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="159"/>
        <source>&amp;Upload queue (central service)…</source>
        <translation>업로드 대기열 (중앙 서비스)(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="161"/>
        <source>&amp;Model update…</source>
        <translation>모델 업데이트(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="211"/>
        <source>Filing stills to {text}</source>
        <translation>{text}에 정지 영상 저장 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="256"/>
        <source> (an administrator installs it)</source>
        <translation> (관리자가 설치합니다)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="258"/>
        <source>A model update ({version}) is waiting{who}: Records ▸ Model update…</source>
        <translation>모델 업데이트({version})가 대기 중입니다{who}: 기록 ▸ 모델 업데이트…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/records_station.py" line="344"/>
        <source>Consults: {summary} — see the consult inbox</source>
        <translation>자문: {summary} — 자문 수신함을 보십시오</translation>
    </message>
</context>
<context>
    <name>ReferralDialog</name>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="95"/>
        <source>DermDesk — referral letter for {record_number}</source>
        <translation>DermDesk — {record_number} 진료 의뢰서</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="102"/>
        <source>Dr A. Specialist, City Skin Clinic</source>
        <translation>예: 김전문 선생님, 시내피부과의원</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="104"/>
        <source>Why you refer (needed when the model did not advise it)</source>
        <translation>의뢰 사유 (모델이 의뢰를 권고하지 않은 경우 필수)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="106"/>
        <source>Lesion</source>
        <translation>병변</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="107"/>
        <source>To (name, clinic)</source>
        <translation>받는 사람 (이름, 의원)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="108"/>
        <source>Your reason</source>
        <translation>의뢰 사유</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="109"/>
        <source>Write the letter</source>
        <translation>의뢰서 작성</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="110"/>
        <source>Save PDF…</source>
        <translation>PDF 저장…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="111"/>
        <source>Print…</source>
        <translation>인쇄…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="112"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="113"/>
        <source>Choose the lesion and say to whom the letter goes.</source>
        <translation>병변을 고르고 의뢰서를 받을 사람을 입력하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="160"/>
        <source>The records are locked; sign in again.</source>
        <translation>기록이 잠겼습니다. 다시 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="162"/>
        <source>Writing the letter…</source>
        <translation>의뢰서를 작성하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="179"/>
        <source>No letter to show.</source>
        <translation>표시할 의뢰서가 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="196"/>
        <source>Letter about lesion {label} to {recipient_name} · {pages} page(s)</source>
        <translation>병변 {label}에 대한 {recipient_name} 앞 의뢰서 · {pages}쪽</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="229"/>
        <source>Saved to {written}</source>
        <translation>{written}에 저장했습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="258"/>
        <source>Preparing the pages for the printer…</source>
        <translation>인쇄할 페이지를 준비하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="268"/>
        <source>The letter could not be printed: {value}</source>
        <translation>의뢰서를 인쇄하지 못했습니다: {value}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/referral_dialog.py" line="295"/>
        <source>Done, but it could not be recorded in the audit log: {exc}</source>
        <translation>완료했지만 감사 기록에 남기지 못했습니다: {exc}</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="168"/>
        <source>latest visit</source>
        <translation>가장 최근 방문</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="170"/>
        <source>DermDesk — report of {record_number}, {when}</source>
        <translation>DermDesk — {record_number} 보고서, {when}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="182"/>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="284"/>
        <source>Preparing the report…</source>
        <translation>보고서를 준비하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="199"/>
        <source>Sign off and save…</source>
        <translation>서명 후 저장…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="201"/>
        <source>Doctors: sign the report with your password; it is stored unchanged</source>
        <translation>의사: 비밀번호로 보고서에 서명합니다. 서명된 보고서는 변경 없이 보관됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="203"/>
        <source>Save PDF…</source>
        <translation>PDF 저장…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="204"/>
        <source>Write the document shown to a PDF file</source>
        <translation>보이는 문서를 PDF 파일로 저장합니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="205"/>
        <source>Print…</source>
        <translation>인쇄…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="206"/>
        <source>Referral letter…</source>
        <translation>진료 의뢰서…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="207"/>
        <source>Doctors: write a referral letter for a lesion of this visit</source>
        <translation>의사: 이번 방문의 병변에 대한 진료 의뢰서를 작성합니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="208"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="211"/>
        <source>The draft from the records now, or a signed version as stored</source>
        <translation>지금 기록으로 만든 초안 또는 보관된 서명본</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="214"/>
        <source>Compare…</source>
        <translation>비교…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="215"/>
        <source>What changed between the two newest signed versions</source>
        <translation>가장 최근 서명본 두 개 사이의 변경 내용</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="218"/>
        <source>Show:</source>
        <translation>표시:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="249"/>
        <source>Sign in to sign reports off.</source>
        <translation>보고서에 서명하려면 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="253"/>
        <source>{exc} You can preview and print the draft.</source>
        <translation>{exc} 초안은 미리 보고 인쇄할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="274"/>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="394"/>
        <source>The records are locked; sign in again.</source>
        <translation>기록이 잠겼습니다. 다시 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="291"/>
        <source>The report could not be prepared</source>
        <translation>보고서를 준비하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="293"/>
        <source>No report to show.</source>
        <translation>표시할 보고서가 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="325"/>
        <source>Signed version {version} — {value}{when}</source>
        <translation>서명본 {version} — {value}{when}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="344"/>
        <source>Draft — not signed off</source>
        <translation>초안 — 서명되지 않음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="346"/>
        <source>Signed off by {signed_by}, version {version} (saved)</source>
        <translation>{signed_by} 서명, 버전 {version} (저장됨)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="351"/>
        <source>{isoformat} · {lesions} lesion(s) · {count} page(s) · {state}</source>
        <translation>{isoformat} · 병변 {lesions}개 · {count}쪽 · {state}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="375"/>
        <source>Sign the report of {isoformat} off; it is stored unchanged in the patient&apos;s record as a new version.</source>
        <translation>{isoformat} 보고서에 서명합니다. 환자 기록에 새 버전으로 변경 없이 보관됩니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="397"/>
        <source>Signing off…</source>
        <translation>서명하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="410"/>
        <source>The report could not be signed off</source>
        <translation>보고서에 서명하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="461"/>
        <source>Preparing the pages for the printer…</source>
        <translation>인쇄할 페이지를 준비하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="473"/>
        <source>The report could not be printed: {reason}</source>
        <translation>보고서를 인쇄하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="515"/>
        <source>Saved to {written}</source>
        <translation>{written}에 저장했습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="537"/>
        <source>Done, but it could not be recorded in the audit log: {exc}</source>
        <translation>완료했지만 감사 기록에 남기지 못했습니다: {exc}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="557"/>
        <source>Opening signed version {number}…</source>
        <translation>서명본 {number}을(를) 여는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="567"/>
        <source>The signed version could not be opened: {reason}</source>
        <translation>서명본을 열지 못했습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="580"/>
        <source>Signed version {version} by {value}{when}, as stored · {pages} page(s)</source>
        <translation>서명본 {version}, 서명자 {value}{when}, 보관된 그대로 · {pages}쪽</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="602"/>
        <source>Comparing versions {older} and {newer}…</source>
        <translation>버전 {older}와(과) {newer}을(를) 비교하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="613"/>
        <source>The versions could not be compared: {reason}</source>
        <translation>버전을 비교하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="621"/>
        <source>DermDesk — signed versions {older} and {newer} compared</source>
        <translation>DermDesk — 서명본 {older}와(과) {newer} 비교</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="625"/>
        <source>Lines removed from version {older} (-) and added in version {newer} (+):

</source>
        <translation>버전 {older}에서 삭제된 줄 (-)과 버전 {newer}에 추가된 줄 (+):

</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="628"/>
        <source>The two versions say the same.</source>
        <translation>두 버전의 내용이 같습니다.</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="170"/>
        <source>Live — the camera now</source>
        <translation>실시간 — 현재 카메라</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="171"/>
        <source>What the model reads on the live picture; it is never filed with a still.</source>
        <translation>모델이 실시간 영상에서 읽은 결과입니다. 정지 영상과 함께 저장되지 않습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="180"/>
        <source>Heatmap</source>
        <translation>히트맵</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="180"/>
        <source>Lay the model&apos;s attention over the lesion</source>
        <translation>모델이 주목한 부위를 병변 위에 겹쳐 표시합니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="183"/>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="295"/>
        <source>Pause analysis</source>
        <translation>분석 일시 정지</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="183"/>
        <source>Keep the figures on screen; stop analysing</source>
        <translation>화면의 수치를 유지하고 분석을 멈춥니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="187"/>
        <source>&lt;b&gt;Last still&lt;/b&gt; — the saved picture, eight views averaged</source>
        <translation>&lt;b&gt;마지막 정지 영상&lt;/b&gt; — 저장된 영상, 8개 시야 평균</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="244"/>
        <source>Model: loading…</source>
        <translation>모델: 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="248"/>
        <source>Model: {get} {get2}</source>
        <translation>모델: {get} {get2}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="252"/>
        <source>Waiting for a picture…</source>
        <translation>영상을 기다리는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="255"/>
        <source>Model: not loaded</source>
        <translation>모델: 불러오지 않음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="256"/>
        <source>No analysis in this session.</source>
        <translation>이번 세션에는 분석이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="265"/>
        <source>No suggestion for this picture.</source>
        <translation>이 영상에 대한 제안이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="270"/>
        <source>Live (not filed) — {frames} frames of this lesion</source>
        <translation>실시간 (저장 안 됨) — 이 병변의 프레임 {frames}개</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="272"/>
        <source>Live (not filed)</source>
        <translation>실시간 (저장 안 됨)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="281"/>
        <source>No analysis.</source>
        <translation>분석 없음.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="295"/>
        <source>Resume analysis</source>
        <translation>분석 재개</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="308"/>
        <source>Capture a still (Space) for a closer look with a heatmap.</source>
        <translation>정지 영상을 촬영하면 (Space) 히트맵과 함께 자세히 볼 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="311"/>
        <source>Analysing {name}…</source>
        <translation>{name} 분석 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="316"/>
        <source>Still {stem} · {still_light}</source>
        <translation>정지 영상 {stem} · {still_light}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="335"/>
        <source>The still could not be analysed.</source>
        <translation>정지 영상을 분석하지 못했습니다.</translation>
    </message>
</context>
<context>
    <name>RulerDialog</name>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="67"/>
        <source>Scale from a ruler</source>
        <translation>자로 배율 맞추기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="83"/>
        <source>Click two ticks of the ruler, as far apart as you can see clearly.</source>
        <translation>자의 눈금 두 개를 클릭하십시오. 선명하게 보이는 범위에서 최대한 멀리 떨어진 눈금을 고르십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="86"/>
        <source>Calibrate</source>
        <translation>보정</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="88"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="90"/>
        <source>Distance between the clicks:</source>
        <translation>클릭한 두 점 사이 거리:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="91"/>
        <source>Magnification:</source>
        <translation>배율:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="114"/>
        <source>Tick {count} at ({x:.0f}, {y:.0f}).</source>
        <translation>눈금 {count}: ({x:.0f}, {y:.0f}).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="115"/>
        <source> Now the second tick.</source>
        <translation> 이제 두 번째 눈금을 클릭하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="119"/>
        <source>That click was outside the picture — click on the ruler&apos;s ticks.</source>
        <translation>영상 바깥을 클릭했습니다. 자의 눈금을 클릭하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="124"/>
        <source>Click two ticks of the ruler first.</source>
        <translation>먼저 자의 눈금 두 개를 클릭하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="127"/>
        <source>Measuring…</source>
        <translation>측정 중…</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="252"/>
        <source>DermDesk — station settings</source>
        <translation>DermDesk — 스테이션 설정</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="265"/>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="267"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="302"/>
        <source>Not saved: correct the fields marked in red.</source>
        <translation>저장되지 않았습니다. 빨간색으로 표시된 항목을 고치십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="316"/>
        <source>Saved. Reports use the new letterhead at once; camera and lock at the next start.</source>
        <translation>저장했습니다. 보고서에는 새 머리글이 바로 쓰이고, 카메라와 잠금 설정은 다음 시작 때 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>SignInFlow</name>
    <message>
        <location filename="../../dermdesk/ui/admin/sign_in_flow.py" line="131"/>
        <source>Signing in failed: {error}</source>
        <translation>로그인하지 못했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/sign_in_flow.py" line="177"/>
        <source>Not changed: {error}</source>
        <translation>변경되지 않았습니다: {error}</translation>
    </message>
</context>
<context>
    <name>StationSection</name>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="150"/>
        <source>Station</source>
        <translation>스테이션</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="153"/>
        <source> min</source>
        <translation> 분</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="156"/>
        <source>Lock the records after:</source>
        <translation>기록 잠금 시간:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="158"/>
        <source>Without a key or mouse movement; takes effect at the next start.</source>
        <translation>키보드나 마우스 입력이 없을 때. 다음 시작 때부터 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>ThumbnailStrip</name>
    <message>
        <location filename="../../dermdesk/ui/capture/thumbnail_strip.py" line="36"/>
        <source>Stills captured in this session</source>
        <translation>이번 세션에 촬영한 정지 영상</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/thumbnail_strip.py" line="50"/>
        <source>Light not recorded</source>
        <translation>조명 기록 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/thumbnail_strip.py" line="51"/>
        <source>
⚠ kept despite the check</source>
        <translation>
⚠ 검사에도 불구하고 보관</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/thumbnail_strip.py" line="53"/>
        <source>{light} · still {value}</source>
        <translation>{light} · 정지 영상 {value}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/thumbnail_strip.py" line="55"/>
        <source> · kept although the quality check refused it</source>
        <translation> · 품질 검사에서 불합격했지만 보관됨</translation>
    </message>
</context>
<context>
    <name>UploadQueueView</name>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="48"/>
        <source>DermDesk — upload queue (central service)</source>
        <translation>DermDesk — 업로드 대기열 (중앙 서비스)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="60"/>
        <source>Case</source>
        <translation>사례</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="61"/>
        <source>Picture</source>
        <translation>사진</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="62"/>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="63"/>
        <source>Tries</source>
        <translation>시도</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="64"/>
        <source>When / reason</source>
        <translation>시각 / 사유</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="72"/>
        <source>Send now</source>
        <translation>지금 전송</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="73"/>
        <source>Retry failed</source>
        <translation>실패한 사례 다시 시도</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="75"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="106"/>
        <source>{queued} queued · {sent} sent · {failed} failed · {removed} removed (consent withdrawn)</source>
        <translation>대기 {queued} · 전송 완료 {sent} · 실패 {failed} · 삭제 {removed} (동의 철회)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="116"/>
        <source>Last successful contact: {when}</source>
        <translation>마지막으로 연결에 성공한 시각: {when}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="117"/>
        <source>never</source>
        <translation>없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="122"/>
        <source>No central service is set up: an administrator enters it in Station settings.</source>
        <translation>중앙 서비스가 설정되어 있지 않습니다. 관리자가 스테이션 설정에서 입력합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="125"/>
        <source>Sending is paused at this station.</source>
        <translation>이 스테이션에서 전송이 일시 중지되어 있습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="127"/>
        <source>Next try: {when}</source>
        <translation>다음 시도: {when}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="135"/>
        <source>Resume sending</source>
        <translation>전송 재개</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="135"/>
        <source>Pause sending</source>
        <translation>전송 일시 중지</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="143"/>
        <source>sent</source>
        <translation>전송 완료</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="145"/>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="148"/>
        <source>failed, will retry</source>
        <translation>실패, 다시 시도 예정</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="150"/>
        <source>sending</source>
        <translation>전송 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="152"/>
        <source>queued</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="159"/>
        <source>removed</source>
        <translation>삭제됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/upload_queue.py" line="161"/>
        <source>consent withdrawn {when}; never sent</source>
        <translation>{when} 동의 철회, 전송되지 않음</translation>
    </message>
</context>
<context>
    <name>UploadSection</name>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="213"/>
        <source>Central service</source>
        <translation>중앙 서비스</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="215"/>
        <source>https://central.example.org (empty: no uploads)</source>
        <translation>https://central.example.org (비워 두면 업로드 안 함)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="218"/>
        <source>Upload address:</source>
        <translation>업로드 주소:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/settings_page.py" line="220"/>
        <source>Must start with https:// unless it is this machine (localhost).</source>
        <translation>이 컴퓨터(localhost)가 아니면 https://로 시작해야 합니다.</translation>
    </message>
</context>
<context>
    <name>UserAdmin</name>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="72"/>
        <source>Unlock</source>
        <translation>잠금 해제</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="73"/>
        <source>Lift a lock-out after too many wrong passwords</source>
        <translation>비밀번호를 여러 번 틀려 잠긴 계정을 풉니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="74"/>
        <source>Reset password</source>
        <translation>비밀번호 재설정</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="76"/>
        <source>Give the account a one-time password; its user chooses their own next</source>
        <translation>계정에 일회용 비밀번호를 줍니다. 사용자가 다음 로그인 때 자기 비밀번호를 정합니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="78"/>
        <source>Disable</source>
        <translation>사용 중지</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="79"/>
        <source>Enable</source>
        <translation>사용</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="80"/>
        <source>Change my password…</source>
        <translation>내 비밀번호 변경…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="100"/>
        <source>Add account</source>
        <translation>계정 추가</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="102"/>
        <source>User name:</source>
        <translation>사용자 이름:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="103"/>
        <source>Full name:</source>
        <translation>성명:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="104"/>
        <source>Role:</source>
        <translation>역할:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="105"/>
        <source>Password:</source>
        <translation>비밀번호:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="106"/>
        <source>Password again:</source>
        <translation>비밀번호 확인:</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="109"/>
        <source>Administrators manage accounts and backups; patient records need a staff or doctor account.</source>
        <translation>관리자는 계정과 백업을 관리합니다. 환자 기록을 보려면 직원 또는 의사 계정이 필요합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="116"/>
        <source>&lt;b&gt;Accounts of this station&lt;/b&gt;</source>
        <translation>&lt;b&gt;이 스테이션의 계정&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="123"/>
        <source>&lt;b&gt;Add an account&lt;/b&gt;</source>
        <translation>&lt;b&gt;계정 추가&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="181"/>
        <source>Choose an account in the list first.</source>
        <translation>먼저 목록에서 계정을 선택하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="189"/>
        <source>Not done: {error}</source>
        <translation>처리되지 않았습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="205"/>
        <source>{username} is unlocked.</source>
        <translation>{username}의 잠금을 풀었습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="217"/>
        <source>One-time password for {username}: {password}
Hand it over in person; {username} must choose their own password at the next sign-in.</source>
        <translation>{username}의 일회용 비밀번호: {password}
직접 전달하십시오. {username}은(는) 다음 로그인 때 자신의 비밀번호를 정해야 합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="226"/>
        <source>{username} is disabled (kept for the audit log).</source>
        <translation>{username}을(를) 사용 중지했습니다 (감사 기록을 위해 보관).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="236"/>
        <source>{username} is enabled again.</source>
        <translation>{username}을(를) 다시 사용하게 했습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="250"/>
        <source>Your password is changed.</source>
        <translation>비밀번호가 변경되었습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="270"/>
        <source>The records are locked; sign in again.</source>
        <translation>기록이 잠겼습니다. 다시 로그인하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="273"/>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>두 비밀번호가 다릅니다. 같은 비밀번호를 두 번 입력하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="293"/>
        <source>Not added: {error}</source>
        <translation>추가되지 않았습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="301"/>
        <source>Account {username} ({value}) added.</source>
        <translation>계정 {username} ({value})을(를) 추가했습니다.</translation>
    </message>
</context>
<context>
    <name>VirtualLesionChooser</name>
    <message>
        <location filename="../../dermdesk/ui/capture/virtual_lesion_chooser.py" line="22"/>
        <source>The virtual dermatoscope&apos;s lesion (training and demonstrations)</source>
        <translation>가상 더마토스코프의 병변 (교육 및 시연용)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/virtual_lesion_chooser.py" line="28"/>
        <source>Lesion shown:</source>
        <translation>표시 병변:</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="72"/>
        <source>female</source>
        <translation>여성</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="73"/>
        <source>male</source>
        <translation>남성</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="74"/>
        <source>other</source>
        <translation>기타</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="75"/>
        <source>unknown</source>
        <translation>알 수 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="76"/>
        <source>staff</source>
        <translation>직원</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="77"/>
        <source>doctor</source>
        <translation>의사</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="78"/>
        <source>admin</source>
        <translation>관리자</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="79"/>
        <source>routine</source>
        <translation>일반</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="80"/>
        <source>soon</source>
        <translation>조기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="81"/>
        <source>urgent</source>
        <translation>긴급</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="82"/>
        <source>queued</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="83"/>
        <source>sent</source>
        <translation>전송됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="84"/>
        <source>in review</source>
        <translation>검토 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="85"/>
        <source>more information requested</source>
        <translation>추가 정보 요청됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="86"/>
        <source>answered</source>
        <translation>답변됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="87"/>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="88"/>
        <source>escalated</source>
        <translation>상향 조치됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="89"/>
        <source>monitoring</source>
        <translation>관찰 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="90"/>
        <source>referred</source>
        <translation>의뢰됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="91"/>
        <source>excised</source>
        <translation>절제됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="92"/>
        <source>resolved</source>
        <translation>소실됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="93"/>
        <source>virtual</source>
        <translation>가상</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="94"/>
        <source>camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="95"/>
        <source>file</source>
        <translation>파일</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="96"/>
        <source>Letter</source>
        <translation>레터</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="97"/>
        <source>Exposure</source>
        <translation>노출</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="98"/>
        <source>Gain</source>
        <translation>게인</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="99"/>
        <source>White balance</source>
        <translation>화이트 밸런스</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="100"/>
        <source>Focus</source>
        <translation>초점</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="101"/>
        <source>Zoom</source>
        <translation>확대</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="102"/>
        <location filename="../../dermdesk/ui/common/terms.py" line="116"/>
        <source>light not recorded</source>
        <translation>조명 기록 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/terms.py" line="103"/>
        <source>default</source>
        <translation>기본</translation>
    </message>
</context>
<context>
    <name>WorklistDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="93"/>
        <source>Today&apos;s worklist</source>
        <translation>오늘의 워크리스트</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="101"/>
        <source>Patients booked for {isoformat} on the clinic&apos;s worklist. Pick one to register (or open) them without typing; anyone not listed is registered by hand as before.</source>
        <translation>의원 워크리스트에 {isoformat}로 예약된 환자입니다. 한 명을 고르면 입력 없이 등록(또는 열기)합니다. 목록에 없는 환자는 전처럼 직접 등록하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="111"/>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="112"/>
        <source>Register / open</source>
        <translation>등록 / 열기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="115"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="136"/>
        <source>Asking the worklist…</source>
        <translation>워크리스트에 조회하는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="148"/>
        <source>{result} patient(s) on today&apos;s worklist.</source>
        <translation>오늘의 워크리스트에 환자 {result}명.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="150"/>
        <source>Nobody yet.</source>
        <translation>아직 아무도 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="155"/>
        <source>The worklist failed: {error}</source>
        <translation>워크리스트 조회에 실패했습니다: {error}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="185"/>
        <source>From the worklist; please complete: {problems}.</source>
        <translation>워크리스트에서 가져옴. 다음을 채우십시오: {problems}.</translation>
    </message>
</context>
<context>
    <name>_ControlRow</name>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_controls.py" line="30"/>
        <source>Auto</source>
        <translation>자동</translation>
    </message>
</context>
<context>
    <name>_VisitDialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="125"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="141"/>
        <source>{what} failed: {error}</source>
        <translation>{what} 실패: {error}</translation>
    </message>
</context>
<context>
    <name>about</name>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="14"/>
        <source>
&lt;h3&gt;DermDesk {version}&lt;/h3&gt;
&lt;p&gt;A capture station for dermatology clinics: live dermoscopy, stills filed per session, and on-CPU
ranking of likely diagnoses.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Decision support, not a diagnosis.&lt;/b&gt; The diagnosis is made and confirmed by a doctor.&lt;/p&gt;
&lt;p&gt;The lesion classifier and the virtual dermatoscope use the &lt;b&gt;HAM10000&lt;/b&gt; dataset
(Tschandl P., Rosendahl C. &amp;amp; Kittler H., &lt;i&gt;The HAM10000 dataset, a large collection of
multi-source dermatoscopic images of common pigmented skin lesions&lt;/i&gt;, Sci. Data 5, 180161 (2018)),
licensed &lt;a href=&quot;https://creativecommons.org/licenses/by-nc-sa/4.0/&quot;&gt;CC BY-NC-SA 4.0&lt;/a&gt;:
a model trained on it is for &lt;b&gt;non-commercial use&lt;/b&gt; only. The classifier is also trained on
dermoscopy pictures from the &lt;b&gt;ISIC archive&lt;/b&gt; (International Skin Imaging Collaboration; Codella et al.,
arXiv:1710.05006; Combalia et al., arXiv:1908.02288), licensed
&lt;a href=&quot;https://creativecommons.org/licenses/by-nc/4.0/&quot;&gt;CC BY-NC 4.0&lt;/a&gt;, also non-commercial.&lt;/p&gt;
</source>
        <translation>
&lt;h3&gt;DermDesk {version}&lt;/h3&gt;
&lt;p&gt;피부과 의원을 위한 촬영 스테이션: 실시간 더모스코피, 세션별 정지 영상 저장, CPU에서 실행되는
가능성 높은 진단 순위 제시.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;진단이 아닌 의사 결정 보조입니다.&lt;/b&gt; 진단은 의사가 내리고 확정합니다.&lt;/p&gt;
&lt;p&gt;병변 분류기와 가상 더마토스코프는 &lt;b&gt;HAM10000&lt;/b&gt; 데이터 세트를 사용합니다
(Tschandl P., Rosendahl C. &amp;amp; Kittler H., &lt;i&gt;The HAM10000 dataset, a large collection of
multi-source dermatoscopic images of common pigmented skin lesions&lt;/i&gt;, Sci. Data 5, 180161 (2018)).
라이선스는 &lt;a href=&quot;https://creativecommons.org/licenses/by-nc-sa/4.0/&quot;&gt;CC BY-NC-SA 4.0&lt;/a&gt;이므로
이 데이터로 학습한 모델은 &lt;b&gt;비상업적 용도&lt;/b&gt;로만 쓸 수 있습니다. 분류기는 &lt;b&gt;ISIC 아카이브&lt;/b&gt;의
더모스코피 영상으로도 학습했습니다 (International Skin Imaging Collaboration; Codella 외,
arXiv:1710.05006; Combalia 외, arXiv:1908.02288). 라이선스는
&lt;a href=&quot;https://creativecommons.org/licenses/by-nc/4.0/&quot;&gt;CC BY-NC 4.0&lt;/a&gt;이며 역시 비상업적 용도입니다.&lt;/p&gt;
</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="48"/>
        <source>&lt;p&gt;Model: not loaded yet.&lt;/p&gt;</source>
        <translation>&lt;p&gt;모델: 아직 불러오지 않음.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="51"/>
        <source>&lt;p&gt;Model {package} runs in &lt;b&gt;{precision}&lt;/b&gt;: {reason}.</source>
        <translation>&lt;p&gt;모델 {package}은(는) &lt;b&gt;{precision}&lt;/b&gt;(으)로 실행됩니다: {reason}.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="64"/>
        <source>{variable}={value} is not an instruction set OpenVINO knows (one of {known}); it is ignored and the model runs on the CPU&apos;s own ({native})</source>
        <translation>{variable}={value}은(는) OpenVINO가 아는 명령어 집합({known} 중 하나)이 아니므로 무시하고, 모델은 CPU 자체의 명령어({native})로 실행됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="69"/>
        <source>{variable}=ALL: the model runs on the CPU&apos;s own instructions</source>
        <translation>{variable}=ALL: 모델이 CPU 자체의 명령어로 실행됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="72"/>
        <source>{variable}={value} is above what this CPU has ({native}); it is ignored and the model runs on the CPU&apos;s own instructions</source>
        <translation>{variable}={value}은(는) 이 CPU가 가진 것({native})보다 높으므로 무시하고, 모델은 CPU 자체의 명령어로 실행됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="77"/>
        <source>{variable}={value}: the model runs as on a CPU limited to {effective}</source>
        <translation>{variable}={value}: 모델이 {effective}(으)로 제한된 CPU에서처럼 실행됩니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="80"/>
        <source>{variable}={value}: the model runs as on a CPU limited to {effective} (this CPU&apos;s support for it cannot be checked)</source>
        <translation>{variable}={value}: 모델이 {effective}(으)로 제한된 CPU에서처럼 실행됩니다(이 CPU가 그것을 지원하는지 확인할 수 없습니다)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="109"/>
        <source>&lt;p&gt;Model in use: &lt;b&gt;refused&lt;/b&gt; ({reason}).&lt;/p&gt;</source>
        <translation>&lt;p&gt;사용 중인 모델: &lt;b&gt;거부됨&lt;/b&gt; ({reason}).&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="120"/>
        <source>Model card: {path}</source>
        <translation>모델 카드: {path}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="129"/>
        <source> (installed; the live analysis uses it from the next start)</source>
        <translation> (설치됨, 실시간 분석은 다음 시작부터 이 모델을 사용합니다)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="132"/>
        <source>&lt;p&gt;Model of this station: &lt;b&gt;{name} {version}&lt;/b&gt;, signature verified{later}{where}&lt;/p&gt;</source>
        <translation>&lt;p&gt;이 스테이션의 모델: &lt;b&gt;{name} {version}&lt;/b&gt;, 서명 확인됨{later}{where}&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="136"/>
        <source>Figures from its card ({count} test pictures).</source>
        <translation>모델 카드의 수치입니다(시험 사진 {count}장).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="140"/>
        <source>Figures from its card.</source>
        <translation>모델 카드의 수치입니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/about.py" line="156"/>
        <source>About DermDesk</source>
        <translation>DermDesk 정보</translation>
    </message>
</context>
<context>
    <name>analysis_dock</name>
    <message>
        <location filename="../../dermdesk/ui/analysis/analysis_dock.py" line="40"/>
        <source>The analysis has stopped, so no suggestion is shown for this picture. Restart DermDesk; the log says what went wrong.</source>
        <translation>분석이 멈추어 이 영상에 대한 제안을 표시하지 않습니다. DermDesk를 다시 시작하십시오. 무엇이 잘못되었는지는 로그에 있습니다.</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../dermdesk/ui/shell/app.py" line="34"/>
        <location filename="../../dermdesk/ui/shell/app.py" line="35"/>
        <source>DermDesk</source>
        <translation>DermDesk</translation>
    </message>
</context>
<context>
    <name>audit_warning</name>
    <message>
        <location filename="../../dermdesk/ui/admin/audit_warning.py" line="25"/>
        <source>
… and {more} more (dermdesk audit verify lists them all).</source>
        <translation>
… 외 {more}건 (dermdesk audit verify로 모두 볼 수 있습니다).</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/audit_warning.py" line="31"/>
        <source>The audit trail failed its check at start-up: it may have been altered outside DermDesk.

{findings}{tail}

Compare with the latest backup, and keep this station&apos;s data folder as it is for investigation.</source>
        <translation>시작할 때 감사 기록 검사에 실패했습니다. DermDesk 밖에서 변경되었을 수 있습니다.

{findings}{tail}

최근 백업과 비교하고, 조사를 위해 이 스테이션의 데이터 폴더를 그대로 두십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/audit_warning.py" line="44"/>
        <source>Audit trail check</source>
        <translation>감사 기록 검사</translation>
    </message>
</context>
<context>
    <name>bench_live</name>
    <message>
        <location filename="../../dermdesk/ui/shell/bench_live.py" line="75"/>
        <source>the model was not ready within {MODEL_TIMEOUT_S:.0f} s</source>
        <translation>모델이 {MODEL_TIMEOUT_S:.0f}초 안에 준비되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/bench_live.py" line="82"/>
        <source>not measured: {value}</source>
        <translation>측정되지 않음: {value}</translation>
    </message>
</context>
<context>
    <name>body_map</name>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="118"/>
        <source>head</source>
        <translation>머리</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="119"/>
        <source>neck</source>
        <translation>목</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="120"/>
        <source>trunk</source>
        <translation>몸통</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="121"/>
        <source>upper arm</source>
        <translation>위팔</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="122"/>
        <source>forearm</source>
        <translation>아래팔</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="123"/>
        <source>hand</source>
        <translation>손</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="124"/>
        <source>thigh</source>
        <translation>넓적다리</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="125"/>
        <source>lower leg</source>
        <translation>종아리</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="126"/>
        <source>foot</source>
        <translation>발</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="127"/>
        <source>front</source>
        <translation>앞면</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="128"/>
        <source>back</source>
        <translation>뒷면</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="129"/>
        <source>Front</source>
        <translation>앞면</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="130"/>
        <source>Back</source>
        <translation>뒷면</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="151"/>
        <source>right {part}</source>
        <translation>오른쪽 {part}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="153"/>
        <source>left {part}</source>
        <translation>왼쪽 {part}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/body_map.py" line="156"/>
        <source>{part} ({view})</source>
        <translation>{part} ({view})</translation>
    </message>
</context>
<context>
    <name>calibration_desk</name>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_desk.py" line="38"/>
        <source>Put the white or grey reference card under the dermatoscope so that it fills the view, with white light on, then press Measure.</source>
        <translation>백색광을 켠 상태에서 흰색 또는 회색 기준 카드가 시야를 가득 채우도록 더마토스코프 아래에 놓은 다음 측정을 누르십시오.</translation>
    </message>
</context>
<context>
    <name>calibration_dialogs</name>
    <message>
        <location filename="../../dermdesk/ui/capture/calibration_dialogs.py" line="48"/>
        <source>Finding the ruler&apos;s ticks</source>
        <translation>자의 눈금을 찾는 중</translation>
    </message>
</context>
<context>
    <name>camera_selector</name>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_selector.py" line="25"/>
        <source>Open video file…</source>
        <translation>동영상 파일 열기…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_selector.py" line="26"/>
        <source>Videos (*.avi *.mp4 *.mkv *.mov);;All files (*)</source>
        <translation>동영상 (*.avi *.mp4 *.mkv *.mov);;모든 파일 (*)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/camera_selector.py" line="30"/>
        <source>Looking for cameras</source>
        <translation>카메라를 찾는 중</translation>
    </message>
</context>
<context>
    <name>clinic_systems</name>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="150"/>
        <source>the newest visit</source>
        <translation>가장 최근 방문</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/clinic_systems.py" line="152"/>
        <source>the visit {visit}</source>
        <translation>{visit} 방문</translation>
    </message>
</context>
<context>
    <name>consult_dialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="46"/>
        <source>Recent change</source>
        <translation>최근 변화</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="47"/>
        <source>Itch</source>
        <translation>가려움</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="48"/>
        <source>Bleeding</source>
        <translation>출혈</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="49"/>
        <source>Pain</source>
        <translation>통증</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="50"/>
        <source>Melanoma before (patient)</source>
        <translation>흑색종 병력 (환자 본인)</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_dialog.py" line="51"/>
        <source>Melanoma in the family</source>
        <translation>흑색종 가족력</translation>
    </message>
</context>
<context>
    <name>consult_inbox</name>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="47"/>
        <source>Consult</source>
        <translation>자문</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="48"/>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="49"/>
        <source>Lesion</source>
        <translation>병변</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="50"/>
        <source>Urgency</source>
        <translation>긴급도</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="51"/>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="52"/>
        <source>Waiting</source>
        <translation>대기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/consult_inbox.py" line="63"/>
        <source>Sending consults and fetching answers</source>
        <translation>자문 보내고 답변 받기</translation>
    </message>
</context>
<context>
    <name>diagnosis_form</name>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="56"/>
        <source>This window does not show which patient it is about, so nothing is signed: close it and open it again from the patient&apos;s page.</source>
        <translation>이 창에는 어느 환자에 관한 것인지 표시되지 않아 서명하지 않았습니다. 창을 닫고 환자 페이지에서 다시 여십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="66"/>
        <source>signed by {signed_off_by} {astimezone:%Y-%m-%d %H:%M}</source>
        <translation>{signed_off_by} 서명 {astimezone:%Y-%m-%d %H:%M}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="70"/>
        <source>NOT SIGNED</source>
        <translation>서명 안 됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="76"/>
        <source> · amends diagnosis {amends_id}</source>
        <translation> · 진단 {amends_id} 수정</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="90"/>
        <source>No model suggestion is filed for this lesion.</source>
        <translation>이 병변에 저장된 모델 제안이 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/diagnosis_form.py" line="93"/>
        <source>Model&apos;s advice for this lesion: {summary} ({model_name} {model_version}) — a suggestion, not a diagnosis.</source>
        <translation>이 병변에 대한 모델의 조언: {summary} ({model_name} {model_version}) — 진단이 아닌 제안입니다.</translation>
    </message>
</context>
<context>
    <name>layout_memory</name>
    <message>
        <location filename="../../dermdesk/ui/shell/layout_memory.py" line="25"/>
        <source>This screen ({width}×{height}) is smaller than the 1280×720 DermDesk is laid out for: the panels share one tab group on the left; drag a tab out or close panels from the View menu for more room.</source>
        <translation>이 화면({width}×{height})은 DermDesk가 기준으로 삼는 1280×720보다 작습니다. 패널이 왼쪽의 탭 그룹 하나에 모여 있습니다. 공간이 더 필요하면 탭을 끌어내거나 보기 메뉴에서 패널을 닫으십시오.</translation>
    </message>
</context>
<context>
    <name>lesion_timeline</name>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="66"/>
        <source>Reading the pictures</source>
        <translation>영상 읽기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="78"/>
        <source>Image {id} could not be decoded.</source>
        <translation>영상 {id}을(를) 해독하지 못했습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="90"/>
        <source>picture {number}</source>
        <translation>영상 {number}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="97"/>
        <source>kept despite the quality check</source>
        <translation>품질 검사에도 불구하고 보관</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="102"/>
        <source>left out of reports</source>
        <translation>보고서에서 제외</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/lesion_timeline.py" line="106"/>
        <source>&lt;b&gt;Visit {isoformat}&lt;/b&gt; · {local:%H:%M} · by {captured_by}</source>
        <translation>&lt;b&gt;방문 {isoformat}&lt;/b&gt; · {local:%H:%M} · 촬영: {captured_by}</translation>
    </message>
</context>
<context>
    <name>lighting_panel</name>
    <message>
        <location filename="../../dermdesk/ui/capture/lighting_panel.py" line="22"/>
        <source>Off</source>
        <translation>꺼짐</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/lighting_panel.py" line="23"/>
        <source>White</source>
        <translation>백색</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/lighting_panel.py" line="24"/>
        <source>Polarised</source>
        <translation>편광</translation>
    </message>
</context>
<context>
    <name>main_window</name>
    <message>
        <location filename="../../dermdesk/ui/shell/main_window.py" line="57"/>
        <source>Stills of this session: none yet — press Space or “Capture still”.</source>
        <translation>이번 세션의 정지 영상: 아직 없음 — Space 키나 “정지 영상 촬영”을 누르십시오.</translation>
    </message>
</context>
<context>
    <name>patient_form</name>
    <message>
        <location filename="../../dermdesk/ui/records/patient_form.py" line="37"/>
        <source>not recorded</source>
        <translation>기록 없음</translation>
    </message>
</context>
<context>
    <name>patient_list</name>
    <message>
        <location filename="../../dermdesk/ui/records/patient_list.py" line="32"/>
        <source>{record_number} — {name} (born {isoformat}, {sex})</source>
        <translation>{record_number} — {name} ({isoformat} 생, {sex})</translation>
    </message>
</context>
<context>
    <name>pdf_output</name>
    <message>
        <location filename="../../dermdesk/ui/reports/pdf_output.py" line="44"/>
        <source>The printer {name!r} is not available (switched off, disconnected or removed); nothing was printed. Choose another printer or save the PDF.</source>
        <translation>프린터 {name!r}을(를) 사용할 수 없어 (꺼짐, 연결 끊김 또는 제거됨) 아무것도 인쇄하지 않았습니다. 다른 프린터를 고르거나 PDF로 저장하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/pdf_output.py" line="50"/>
        <source>No printer is set up on this computer; nothing was printed. Save the PDF instead.</source>
        <translation>이 컴퓨터에 설정된 프린터가 없어 아무것도 인쇄하지 않았습니다. 대신 PDF로 저장하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/pdf_output.py" line="64"/>
        <source>The printer could not be started; check that it is connected and try again.</source>
        <translation>프린터를 시작하지 못했습니다. 연결되어 있는지 확인하고 다시 시도하십시오.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/pdf_output.py" line="70"/>
        <source>The printer stopped after page {index}; the rest was not printed.</source>
        <translation>프린터가 {index}쪽 이후 멈추어 나머지는 인쇄되지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/pdf_output.py" line="83"/>
        <source>save the PDF</source>
        <translation>PDF 저장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/pdf_output.py" line="90"/>
        <source>Save PDF</source>
        <translation>PDF 저장</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/pdf_output.py" line="92"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 문서 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>picture_recheck</name>
    <message>
        <location filename="../../dermdesk/ui/records/picture_recheck.py" line="25"/>
        <source>{count} stored picture(s) no longer match what was filed (image {ids}). The files may have been damaged or changed outside DermDesk: tell the administrator, who can restore them from the latest backup (`dermdesk backup` / `restore`).</source>
        <translation>보관된 영상 {count}장이 저장 당시와 더 이상 일치하지 않습니다 (영상 {ids}). 파일이 손상되었거나 DermDesk 밖에서 변경되었을 수 있습니다. 관리자에게 알리십시오. 관리자는 최근 백업에서 복원할 수 있습니다 (`dermdesk backup` / `restore`).</translation>
    </message>
</context>
<context>
    <name>quality_dialog</name>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="32"/>
        <source>You can change the exposure on the Camera panel or the light on the Light panel now; Retake then takes a new still with the new settings.</source>
        <translation>지금 카메라 패널에서 노출을, 조명 패널에서 조명을 바꿀 수 있습니다. 그다음 다시 촬영을 누르면 새 설정으로 촬영합니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="42"/>
        <source>sharpness {sharpness:.1f}</source>
        <translation>선명도 {sharpness:.1f}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="45"/>
        <source>brightness {brightness:.0f}</source>
        <translation>밝기 {brightness:.0f}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="51"/>
        <source>glare {glare_fraction:.1%}</source>
        <translation>반사광 {glare_fraction:.1%}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="57"/>
        <source>lesion contrast {lesion_contrast:.1f}</source>
        <translation>병변 대비 {lesion_contrast:.1f}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/capture/quality_dialog.py" line="61"/>
        <source>Measured: </source>
        <translation>측정값: </translation>
    </message>
</context>
<context>
    <name>records_session</name>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="67"/>
        <source>, {waiting} picture(s) kept on this station</source>
        <translation>, 영상 {waiting}장을 이 스테이션에 보관 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="73"/>
        <source>Records server unreachable: working offline{kept}</source>
        <translation>기록 서버에 연결할 수 없음: 오프라인으로 작업 중{kept}</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="88"/>
        <source>Opening the patient records</source>
        <translation>환자 기록 열기</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/common/records_session.py" line="96"/>
        <source>Checking pictures against the records</source>
        <translation>영상을 기록과 대조하는 중</translation>
    </message>
</context>
<context>
    <name>report_dialog</name>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="82"/>
        <source>Draft from the records now</source>
        <translation>지금 기록으로 만든 초안</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="103"/>
        <source>No signed version of this visit&apos;s report is stored yet.</source>
        <translation>이번 방문 보고서의 서명본이 아직 없습니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/reports/report_dialog.py" line="111"/>
        <source>Stored in the patient&apos;s record: {signed}. Signing off again stores the next version.</source>
        <translation>환자 기록에 보관됨: {signed}. 다시 서명하면 다음 버전으로 보관됩니다.</translation>
    </message>
</context>
<context>
    <name>results_panel</name>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="34"/>
        <source>Decision support, not a diagnosis</source>
        <translation>진단이 아닌 의사 결정 보조</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="35"/>
        <source>Loading the model…</source>
        <translation>모델을 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="36"/>
        <source>Analysis paused — the figures are those of the moment you paused.</source>
        <translation>분석 일시 정지 — 수치는 일시 정지한 순간의 값입니다.</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="345"/>
        <source>light not recorded</source>
        <translation>조명 기록 없음</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/analysis/results_panel.py" line="353"/>
        <source>This picture cannot be classified.</source>
        <translation>이 영상은 분류할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>standby_watch</name>
    <message>
        <location filename="../../dermdesk/ui/shell/standby_watch.py" line="18"/>
        <source>Standby — move the mouse or press a key for the full live picture.</source>
        <translation>대기 — 실시간 영상을 모두 보려면 마우스를 움직이거나 키를 누르십시오.</translation>
    </message>
</context>
<context>
    <name>toolkit_check</name>
    <message>
        <location filename="../../dermdesk/ui/shell/toolkit_check.py" line="18"/>
        <source>DermDesk self-test</source>
        <translation>DermDesk 자체 검사</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/toolkit_check.py" line="27"/>
        <source>Qt started but could not show a window</source>
        <translation>Qt는 시작되었지만 창을 표시하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/shell/toolkit_check.py" line="30"/>
        <source>Qt {pyside_version} on the &apos;{platform}&apos; platform plugin showed a window</source>
        <translation>Qt {pyside_version}이(가) &apos;{platform}&apos; 플랫폼 플러그인에서 창을 표시했습니다</translation>
    </message>
</context>
<context>
    <name>user_admin</name>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="42"/>
        <source>active</source>
        <translation>사용 중</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="44"/>
        <source>disabled</source>
        <translation>사용 중지됨</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/admin/user_admin.py" line="47"/>
        <source>, locked until {astimezone:%H:%M}</source>
        <translation>, {astimezone:%H:%M}까지 잠김</translation>
    </message>
</context>
<context>
    <name>worklist_dialog</name>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="54"/>
        <source>born ?</source>
        <translation>생년월일 ?</translation>
    </message>
    <message>
        <location filename="../../dermdesk/ui/records/worklist_dialog.py" line="60"/>
        <source>
      incomplete: {problems}</source>
        <translation>
      미완료: {problems}</translation>
    </message>
</context>
</TS>
