<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AcceptanceDialog</name>
    <message>
        <source>第 %1 轮验收 — %2</source>
        <translation>Acceptance round %1 — %2</translation>
    </message>
    <message>
        <source>改造项目</source>
        <translation>Works</translation>
    </message>
    <message>
        <source>意见与满意度</source>
        <translation>Opinion and satisfaction</translation>
    </message>
    <message>
        <source>签字</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <source>完成验收</source>
        <translation>Complete acceptance</translation>
    </message>
    <message>
        <source>出具验收单…</source>
        <translation>Issue acceptance certificate…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>检查内容</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>实测值 / 限值</source>
        <translation>Measured / limit</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>计划 / 实际数量</source>
        <translation>Planned / actual qty</translation>
    </message>
    <message>
        <source>实际</source>
        <translation>Actual</translation>
    </message>
    <message>
        <source>验收组成员，用顿号分隔</source>
        <translation>Acceptance team members, separated by commas</translation>
    </message>
    <message>
        <source>验收组成员</source>
        <translation>Acceptance team</translation>
    </message>
    <message>
        <source>家庭满意度</source>
        <translation>Family satisfaction</translation>
    </message>
    <message>
        <source>验收意见（不填则按检查结果自动生成）</source>
        <translation>Acceptance opinion (generated from the check results if left blank)</translation>
    </message>
    <message>
        <source>验收意见</source>
        <translation>Acceptance opinion</translation>
    </message>
    <message>
        <source>改造后照片</source>
        <translation>Photos after works</translation>
    </message>
    <message>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>已填 %1/%2 项</source>
        <translation>Checks filled: %1/%2</translation>
    </message>
    <message>
        <source>，%1 项实测值超限</source>
        <translation>, out of limits: %1</translation>
    </message>
    <message>
        <source>；已签名 %1/%2</source>
        <translation>; signatures: %1/%2</translation>
    </message>
    <message>
        <source>还不能完成验收</source>
        <translation>Acceptance cannot be completed yet</translation>
    </message>
    <message>
        <source>验收合格。</source>
        <translation>Passed acceptance.</translation>
    </message>
    <message>
        <source>需整改，整改期限：%1。</source>
        <translation>Rectification required by %1.</translation>
    </message>
    <message>
        <source>无法出具验收单</source>
        <translation>Cannot issue the acceptance certificate</translation>
    </message>
</context>
<context>
    <name>AlertsTab</name>
    <message>
        <source>全部等级</source>
        <translation>All priorities</translation>
    </message>
    <message>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>全部预警</source>
        <translation>All alerts</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>预警</source>
        <translation>Alert</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>正在计算…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <source>共 %1 条</source>
        <translation>Total: %1</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>每日</source>
        <translation>Daily</translation>
    </message>
    <message>
        <source>加密后</source>
        <translation>After encryption</translation>
    </message>
    <message>
        <source>升级前 %1</source>
        <translation>Before upgrade %1</translation>
    </message>
    <message>
        <source>备份与恢复</source>
        <translation>Backups and restore</translation>
    </message>
    <message>
        <source>每天首次登录和每次升级前自动备份，保留最近 10 份。备份与数据库一样加密，只能用本机账号的密码打开。</source>
        <translation>A backup is made at the first sign-in of each day and before every upgrade; the latest 10 are kept. Backups are encrypted like the database and open only with a password of this laptop&apos;s accounts.</translation>
    </message>
    <message>
        <source>备份时间</source>
        <translation>Made at</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>立即备份</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>恢复所选备份…</source>
        <translation>Restore selected backup…</translation>
    </message>
    <message>
        <source>恢复备份</source>
        <translation>Restore backup</translation>
    </message>
    <message>
        <source>恢复到 %1 的备份？此后的修改会丢失（当前数据库会移到备份文件夹保留）。恢复后需要重新登录。</source>
        <translation>Restore the backup of %1? Changes made after it are lost (the current database is moved to the backups folder and kept). You sign in again after the restore.</translation>
    </message>
</context>
<context>
    <name>BatchExportDialog</name>
    <message>
        <source>批量导出验收单</source>
        <translation>Export acceptance certificates</translation>
    </message>
    <message>
        <source>全部月份</source>
        <translation>All months</translation>
    </message>
    <message>
        <source>%1年%2月</source>
        <translation>%2/%1</translation>
    </message>
    <message>
        <source>全部乡镇（街道）</source>
        <translation>All townships</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>验收月份</source>
        <translation>Acceptance month</translation>
    </message>
    <message>
        <source>乡镇（街道）</source>
        <translation>Township (subdistrict)</translation>
    </message>
    <message>
        <source>符合条件</source>
        <translation>Matching</translation>
    </message>
    <message>
        <source>%1 份验收单</source>
        <translation>Certificates: %1</translation>
    </message>
    <message>
        <source>导出到</source>
        <translation>Export to</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>验收单.pdf</source>
        <translation>acceptance-certificates.pdf</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已生成 %1/%2 份</source>
        <translation>%1/%2 generated</translation>
    </message>
    <message>
        <source>已导出 %1 份验收单</source>
        <translation>Acceptance certificates exported: %1</translation>
    </message>
    <message>
        <source>已取消，未生成文件</source>
        <translation>Cancelled; no file was created</translation>
    </message>
</context>
<context>
    <name>CalculatedWidget</name>
    <message>
        <source>自动计算，不能修改</source>
        <translation>Calculated automatically; cannot be edited</translation>
    </message>
    <message>
        <source>（自动计算）</source>
        <translation> (calculated)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>CalendarButton</name>
    <message>
        <source>选择日期</source>
        <translation>Pick date</translation>
    </message>
    <message>
        <source>在日历中选择日期</source>
        <translation>Pick the date in a calendar</translation>
    </message>
</context>
<context>
    <name>CancellableJob</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <source>无法连接打印机</source>
        <translation>Cannot connect to the printer</translation>
    </message>
    <message>
        <source>验收单 %1</source>
        <translation>Acceptance certificate %1</translation>
    </message>
    <message>
        <source>编号 %1    校验码 %2    共 %3 页</source>
        <translation>No. %1    Verification code %2    Pages: %3</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>保存验收单</source>
        <translation>Save acceptance certificate</translation>
    </message>
    <message>
        <source>验收单_%1.pdf</source>
        <translation>acceptance-certificate_%1.pdf</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>修改本机密码</source>
        <translation>Change password on this laptop</translation>
    </message>
    <message>
        <source>原密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>Repeat new password</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords do not match</translation>
    </message>
</context>
<context>
    <name>CheckRow</name>
    <message>
        <source>实测值</source>
        <translation>Measured</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>照片(%1)</source>
        <translation>Photos (%1)</translation>
    </message>
    <message>
        <source>拍照/照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>选择照片</source>
        <translation>Choose photos</translation>
    </message>
</context>
<context>
    <name>ClockWriterLabel</name>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1（本机）</source>
        <translation>%1 (this laptop)</translation>
    </message>
    <message>
        <source>本机</source>
        <translation>This laptop</translation>
    </message>
    <message>
        <source>另一台设备</source>
        <translation>Another device</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>DamageDialog</name>
    <message>
        <source>数据库已损坏</source>
        <translation>Database damaged</translation>
    </message>
    <message>
        <source>数据库文件是空的</source>
        <translation>The database file is empty</translation>
    </message>
    <message>
        <source>数据库文件不完整</source>
        <translation>The database file is incomplete</translation>
    </message>
    <message>
        <source>数据库文件已损坏</source>
        <translation>The database file is corrupted</translation>
    </message>
    <message>
        <source>数据库与本机密钥不匹配</source>
        <translation>The database does not match this laptop&apos;s key</translation>
    </message>
    <message>
        <source>原文件已保留，请从备份恢复。</source>
        <translation> The original file has been kept; restore from a backup.</translation>
    </message>
    <message>
        <source>文件长度为 0 字节，可能是磁盘已满或复制中断。</source>
        <translation>The file is 0 bytes long: the disk may have been full, or a copy was interrupted.</translation>
    </message>
    <message>
        <source>文件比应有的短，可能是复制或断电中断。</source>
        <translation>The file is shorter than it should be: a copy or a power cut interrupted it.</translation>
    </message>
    <message>
        <source>文件中的数据页已损坏，无法读取。</source>
        <translation>Data pages in the file are damaged and cannot be read.</translation>
    </message>
    <message>
        <source>密钥文件与数据库不匹配，或文件头已损坏。</source>
        <translation>The key file does not match the database, or the file header is damaged.</translation>
    </message>
    <message>
        <source>文件位置：%1</source>
        <translation>File: %1</translation>
    </message>
    <message>
        <source>最近一份完好的备份：%1（%2）。恢复后，此备份之后的修改会丢失；损坏的文件会移到备份文件夹保留。</source>
        <translation>Latest good backup: %1 (%2). Restoring it loses the changes made after it; the damaged file is moved to the backups folder and kept.</translation>
    </message>
    <message>
        <source>没有找到可用的备份。请不要删除数据文件夹，联系管理员或技术支持。</source>
        <translation>No usable backup was found. Do not delete the data folder; contact your administrator or support.</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>DataSafetyBox</name>
    <message>
        <source>数据安全</source>
        <translation>Data safety</translation>
    </message>
    <message>
        <source>备份与恢复…</source>
        <translation>Backups and restore…</translation>
    </message>
    <message>
        <source>修改本机密码…</source>
        <translation>Change password…</translation>
    </message>
    <message>
        <source>清除本机资料…</source>
        <translation>Remove this laptop&apos;s data…</translation>
    </message>
    <message>
        <source>修改本机密码</source>
        <translation>Change password on this laptop</translation>
    </message>
    <message>
        <source>密码已修改，下次登录请使用新密码。</source>
        <translation>Password changed. Use the new password from your next sign-in.</translation>
    </message>
    <message>
        <source>清除本机资料</source>
        <translation>Remove this laptop&apos;s data</translation>
    </message>
    <message>
        <source>清除后，本机的数据库、照片、签名和备份全部删除，无法恢复。继续吗？</source>
        <translation>This deletes this laptop&apos;s database, photos, signatures and backups for good. Continue?</translation>
    </message>
    <message>
        <source>本机还有 %1 项修改未同步，清除后将永久丢失。确定仍要清除吗？</source>
        <translation>Changes on this laptop not synced yet: %1. They will be lost for good. Remove the data anyway?</translation>
    </message>
</context>
<context>
    <name>DraftOffer</name>
    <message>
        <source>开始访视</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <source>%1 有一次未完成的访视（%2 开始；%3）。
继续填写这一次，还是放弃它？</source>
        <translation>%1 has an unfinished visit (started %2; %3).
Continue this one, or discard it?</translation>
    </message>
    <message>
        <source>继续这次访视</source>
        <translation>Continue this visit</translation>
    </message>
    <message>
        <source>放弃它…</source>
        <translation>Discard it…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DraftsTab</name>
    <message>
        <source>放弃访视</source>
        <translation>Discard visit</translation>
    </message>
    <message>
        <source>放弃 %1 的未完成访视。请填写原因（将记录在案，不能为空）：</source>
        <translation>Discard the unfinished visit of %1. Please give a reason (it is recorded; required):</translation>
    </message>
    <message>
        <source>原因不能为空。请填写放弃这次访视的原因：</source>
        <translation>A reason is required. Why is this visit discarded?</translation>
    </message>
    <message>
        <source>开始时间</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>访视对象</source>
        <translation>Visited person</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>表单（已填/必填）</source>
        <translation>Forms (filled/required)</translation>
    </message>
    <message>
        <source>继续访视</source>
        <translation>Continue visit</translation>
    </message>
    <message>
        <source>放弃…</source>
        <translation>Discard…</translation>
    </message>
    <message>
        <source>未完成的访视会一直保留，可随时继续填写；不再需要的可以填写原因后放弃。</source>
        <translation>Unfinished visits are kept until completed; one no longer needed can be discarded with a reason.</translation>
    </message>
</context>
<context>
    <name>Enums</name>
    <message>
        <source>视力残疾</source>
        <translation>Visual</translation>
    </message>
    <message>
        <source>听力残疾</source>
        <translation>Hearing</translation>
    </message>
    <message>
        <source>言语残疾</source>
        <translation>Speech</translation>
    </message>
    <message>
        <source>肢体残疾</source>
        <translation>Physical</translation>
    </message>
    <message>
        <source>智力残疾</source>
        <translation>Intellectual</translation>
    </message>
    <message>
        <source>精神残疾</source>
        <translation>Psychosocial</translation>
    </message>
    <message>
        <source>多重残疾</source>
        <translation>Multiple</translation>
    </message>
    <message>
        <source>一级</source>
        <translation>Level 1</translation>
    </message>
    <message>
        <source>二级</source>
        <translation>Level 2</translation>
    </message>
    <message>
        <source>三级</source>
        <translation>Level 3</translation>
    </message>
    <message>
        <source>四级</source>
        <translation>Level 4</translation>
    </message>
    <message>
        <source>未定级</source>
        <translation>Unrated</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>低保</source>
        <translation>Dibao</translation>
    </message>
    <message>
        <source>低边</source>
        <translation>Near-dibao</translation>
    </message>
    <message>
        <source>特困</source>
        <translation>Extreme poverty</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>Ordinary</translation>
    </message>
    <message>
        <source>在册</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>迁出</source>
        <translation>Moved out</translation>
    </message>
    <message>
        <source>死亡</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <source>专职委员</source>
        <translation>Disability worker</translation>
    </message>
    <message>
        <source>验收人员</source>
        <translation>Acceptance inspector</translation>
    </message>
    <message>
        <source>乡镇/县区残联</source>
        <translation>Township/county federation</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>无障碍改造</source>
        <translation>Accessibility</translation>
    </message>
    <message>
        <source>室内照明线路改造</source>
        <translation>Lighting rewiring</translation>
    </message>
    <message>
        <source>净居亮居</source>
        <translation>Clean &amp; bright home</translation>
    </message>
    <message>
        <source>危房改造</source>
        <translation>Dangerous house repair</translation>
    </message>
    <message>
        <source>申请</source>
        <translation>Applied</translation>
    </message>
    <message>
        <source>评估</source>
        <translation>Assessed</translation>
    </message>
    <message>
        <source>勘测</source>
        <translation>Surveyed</translation>
    </message>
    <message>
        <source>方案</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>施工</source>
        <translation>Under construction</translation>
    </message>
    <message>
        <source>待验收</source>
        <translation>Awaiting acceptance</translation>
    </message>
    <message>
        <source>验收合格</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>整改</source>
        <translation>Rectify</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Pass</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Fail</translation>
    </message>
    <message>
        <source>A级（无危险点）</source>
        <translation>Grade A (no dangerous members)</translation>
    </message>
    <message>
        <source>B级（个别危险构件）</source>
        <translation>Grade B (some dangerous members)</translation>
    </message>
    <message>
        <source>C级（局部危房）</source>
        <translation>Grade C (partly dangerous)</translation>
    </message>
    <message>
        <source>D级（整幢危房）</source>
        <translation>Grade D (whole building dangerous)</translation>
    </message>
    <message>
        <source>康复服务</source>
        <translation>Rehabilitation</translation>
    </message>
    <message>
        <source>辅助器具</source>
        <translation>Assistive device</translation>
    </message>
    <message>
        <source>教育资助</source>
        <translation>Education aid</translation>
    </message>
    <message>
        <source>就业帮扶</source>
        <translation>Employment support</translation>
    </message>
    <message>
        <source>社会保障</source>
        <translation>Social security</translation>
    </message>
    <message>
        <source>托养照护</source>
        <translation>Care services</translation>
    </message>
    <message>
        <source>照明线路改造</source>
        <translation>Lighting and wiring</translation>
    </message>
    <message>
        <source>困难帮扶</source>
        <translation>Poverty relief</translation>
    </message>
    <message>
        <source>待办</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>已转介</source>
        <translation>Referred</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>无法办理</source>
        <translation>Cannot be met</translation>
    </message>
    <message>
        <source>改造项目验收</source>
        <translation>Project accepted</translation>
    </message>
    <message>
        <source>辅具交付</source>
        <translation>Device delivered</translation>
    </message>
    <message>
        <source>补贴落实</source>
        <translation>Subsidy started</translation>
    </message>
    <message>
        <source>人工办结</source>
        <translation>Closed by hand</translation>
    </message>
    <message>
        <source>长期外出</source>
        <translation>Long absent</translation>
    </message>
    <message>
        <source>失联</source>
        <translation>Lost contact</translation>
    </message>
    <message>
        <source>资格审核</source>
        <translation>Eligibility review</translation>
    </message>
    <message>
        <source>公示</source>
        <translation>Publicity</translation>
    </message>
    <message>
        <source>采购/招标</source>
        <translation>Procurement / tender</translation>
    </message>
    <message>
        <source>终止/放弃</source>
        <translation>Terminated / withdrawn</translation>
    </message>
    <message>
        <source>不涉及</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <source>自有产权房（城镇）</source>
        <translation>Own home (urban)</translation>
    </message>
    <message>
        <source>农村自建房</source>
        <translation>Self-built rural house</translation>
    </message>
    <message>
        <source>租住公房/廉租房</source>
        <translation>Public or low-rent housing</translation>
    </message>
    <message>
        <source>租住私房</source>
        <translation>Private rental</translation>
    </message>
    <message>
        <source>借住亲友房</source>
        <translation>Lives with relatives or friends</translation>
    </message>
    <message>
        <source>机构居住</source>
        <translation>In an institution</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Returned</translation>
    </message>
</context>
<context>
    <name>FieldCheck</name>
    <message>
        <source>“%1”内容过长（最多 %2 字）</source>
        <translation>“%1” is too long (at most %2 characters)</translation>
    </message>
    <message>
        <source>“%1”含有不可见的控制字符，请删除</source>
        <translation>“%1” contains an invisible control character; please remove it</translation>
    </message>
    <message>
        <source>“%1”只能包含半角字母、数字和符号（不能有全角字符或空格）</source>
        <translation>“%1” may hold only half-width letters, digits and symbols (no full-width characters or spaces)</translation>
    </message>
    <message>
        <source>“%1”的值不在可选范围内，请重新选择</source>
        <translation>“%1”: the value is not one of the options; please choose again</translation>
    </message>
    <message>
        <source>“%1”不是真实存在的日期（格式 YYYY-MM-DD）</source>
        <translation>“%1” is not a real date (format YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>“%1”不是有效的身份证号</source>
        <translation>“%1” is not a valid ID number</translation>
    </message>
    <message>
        <source>“%1”请选择到村（社区）一级</source>
        <translation>“%1”: choose down to a village or community</translation>
    </message>
    <message>
        <source>“%1”不能为空</source>
        <translation>“%1” must be filled in</translation>
    </message>
    <message>
        <source>“%1”的值类型不对</source>
        <translation>“%1” has the wrong kind of value</translation>
    </message>
    <message>
        <source>“%1”超出允许的范围</source>
        <translation>“%1” is out of range</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>首次使用</source>
        <translation>First use</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>本机还没有资料。请用服务器账号登录（推荐），或设置为单机使用。</source>
        <translation>This laptop has no data yet. Sign in with a server account (recommended), or set it up for stand-alone use.</translation>
    </message>
    <message>
        <source>首次联网登录后，本机记住此账号，以后无需网络也能登录。</source>
        <translation>After this first online sign-in the laptop remembers the account; later sign-ins work without a network.</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>单机使用：不与服务器同步，由本机管理员管理账号。</source>
        <translation>Stand-alone: no sync with a server; the local administrator manages the accounts.</translation>
    </message>
    <message>
        <source>再次输入密码</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <source>服务器账号</source>
        <translation>Server account</translation>
    </message>
    <message>
        <source>单机使用</source>
        <translation>Stand-alone</translation>
    </message>
    <message>
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>正在连接服务器…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>无法登记本机：%1</source>
        <translation>This laptop could not be enrolled: %1</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The passwords do not match</translation>
    </message>
</context>
<context>
    <name>FormChooser</name>
    <message>
        <source>开始访视</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <source>访视对象：%1
请选择本次要填写的表单（已按登记信息勾选建议的表单）：</source>
        <translation>Visiting: %1
Choose the forms to fill in on this visit (suggested forms are ticked based on the registry):</translation>
    </message>
    <message>
        <source>（建议）</source>
        <translation> (suggested)</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>FormRenderer</name>
    <message>
        <source>第 %1 项</source>
        <translation>Entry %1</translation>
    </message>
    <message>
        <source>删除此项</source>
        <translation>Remove entry</translation>
    </message>
    <message>
        <source>＋ 添加一项</source>
        <translation>+ Add entry</translation>
    </message>
    <message>
        <source>未能保存：%1。已恢复为上次保存的值。</source>
        <translation>Not saved: %1. The last saved value is shown again.</translation>
    </message>
    <message>
        <source>此项为必填项</source>
        <translation>This field is required</translation>
    </message>
    <message>
        <source>日期格式不正确，请按 2020-01-05、2020/1/5 或 20200105 填写</source>
        <translation>Not a date: type it as 2020-01-05, 2020/1/5 or 20200105</translation>
    </message>
    <message>
        <source>应填写整数</source>
        <translation>Enter a whole number</translation>
    </message>
    <message>
        <source>应填写数字</source>
        <translation>Enter a number</translation>
    </message>
    <message>
        <source>所选项不在当前可选范围内，请重新选择</source>
        <translation>The choice is no longer offered; please choose again</translation>
    </message>
    <message>
        <source>答案不符合要求</source>
        <translation>The answer does not meet the requirement</translation>
    </message>
    <message>
        <source>至少需要填写 %1 项</source>
        <translation>Entries needed: at least %1</translation>
    </message>
    <message>
        <source>最多只能填写 %1 项</source>
        <translation>Entries allowed: at most %1</translation>
    </message>
    <message>
        <source>第 %1 项已填写了内容，确定删除吗？删除后可以点“撤销”恢复。</source>
        <translation>Entry %1 has answers. Remove it? You can bring it back with “Undo”.</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已删除“%1”的第 %2 项。</source>
        <translation>Entry %2 of “%1” removed.</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
</context>
<context>
    <name>HandleAlertDialog</name>
    <message>
        <source>标记已处理</source>
        <translation>Mark as handled</translation>
    </message>
    <message>
        <source>处理情况，如：已协助申请护理补贴，县残联已受理</source>
        <translation>What was done, e.g. helped apply for the care subsidy; the county federation has accepted it</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>处理说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>处理说明最多 %1 字，现在是 %2 字</source>
        <translation>The note may have at most %1 characters; it has %2</translation>
    </message>
    <message>
        <source>请写明处理情况（如：已协助申请护理补贴）</source>
        <translation>Write down what was done (e.g. helped apply for the care subsidy)</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <source>编辑家庭</source>
        <translation>Edit household</translation>
    </message>
    <message>
        <source>新建家庭</source>
        <translation>New household</translation>
    </message>
    <message>
        <source>如：12幢3单元501 或 上洋自然村23号</source>
        <translation>e.g. Bldg 12, Unit 3, Rm 501 or No. 23 Shangyang Village</translation>
    </message>
    <message>
        <source>未鉴定</source>
        <translation>Not assessed</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>Not given</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>户主姓名</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>经济状况</source>
        <translation>Welfare status</translation>
    </message>
    <message>
        <source>危房等级</source>
        <translation>Dangerous house grade</translation>
    </message>
    <message>
        <source>住房类型</source>
        <translation>Housing type</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message numerus="yes">
        <source>有 %n 项需要修改，未保存</source>
        <translation>
            <numerusform>%n field needs correcting; not saved</numerusform>
            <numerusform>%n fields need correcting; not saved</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseholdPage</name>
    <message>
        <source>← 返回列表</source>
        <translation>← Back to list</translation>
    </message>
    <message>
        <source>编辑家庭…</source>
        <translation>Edit household…</translation>
    </message>
    <message>
        <source>开始访视</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <source>家庭信息</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>残疾人证号</source>
        <translation>Disability certificate no.</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>两项补贴</source>
        <translation>Two subsidies</translation>
    </message>
    <message>
        <source>新增人员…</source>
        <translation>Add person…</translation>
    </message>
    <message>
        <source>编辑人员…</source>
        <translation>Edit person…</translation>
    </message>
    <message>
        <source>显示完整身份证号</source>
        <translation>Show full ID number</translation>
    </message>
    <message>
        <source>身份证号默认隐去中间几位；显示完整号码会记入审计日志</source>
        <translation>ID numbers are shown with the middle digits hidden; showing the full number is recorded in the audit log</translation>
    </message>
    <message>
        <source>家庭成员与残疾人证</source>
        <translation>Members and disability certificates</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>访视对象</source>
        <translation>Visited person</translation>
    </message>
    <message>
        <source>专职委员</source>
        <translation>Disability worker</translation>
    </message>
    <message>
        <source>表单</source>
        <translation>Forms</translation>
    </message>
    <message>
        <source>访视记录</source>
        <translation>Visit history</translation>
    </message>
    <message>
        <source>%1 户</source>
        <translation>Household: %1</translation>
    </message>
    <message>
        <source>（未填户主）</source>
        <translation>(no head of household)</translation>
    </message>
    <message>
        <source>所属村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>经济状况</source>
        <translation>Welfare status</translation>
    </message>
    <message>
        <source>住房</source>
        <translation>Housing</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>生活</source>
        <translation>Living</translation>
    </message>
    <message>
        <source>护理</source>
        <translation>Care</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
</context>
<context>
    <name>HouseholdProjectsBox</name>
    <message>
        <source>改造项目</source>
        <translation>Renovation projects</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>计划金额</source>
        <translation>Planned (yuan)</translation>
    </message>
    <message>
        <source>新建改造项目…</source>
        <translation>New project…</translation>
    </message>
    <message>
        <source>由访视需求创建…</source>
        <translation>From visit needs…</translation>
    </message>
    <message>
        <source>先在访视记录中选中一次访视</source>
        <translation>Select a visit in the visit history first</translation>
    </message>
    <message>
        <source>由访视需求创建项目…</source>
        <translation>Create project from visit needs…</translation>
    </message>
    <message>
        <source>暂无改造项目</source>
        <translation>No projects yet</translation>
    </message>
    <message>
        <source>由访视需求创建项目</source>
        <translation>Create project from visit needs</translation>
    </message>
    <message>
        <source>这次访视的住房情况表没有登记无障碍、照明线路等改造需求。</source>
        <translation>The housing form of this visit records no renovation need (accessibility, lighting, etc.).</translation>
    </message>
</context>
<context>
    <name>LedgerHeaders</name>
    <message>
        <source>家庭户台账</source>
        <translation>Households ledger</translation>
    </message>
    <message>
        <source>残疾人台账</source>
        <translation>Persons ledger</translation>
    </message>
    <message>
        <source>入户访视台账</source>
        <translation>Home visits ledger</translation>
    </message>
    <message>
        <source>改造项目台账</source>
        <translation>Renovation projects ledger</translation>
    </message>
    <message>
        <source>需求台账</source>
        <translation>Needs ledger</translation>
    </message>
    <message>
        <source>辅助器具采购清单</source>
        <translation>Assistive-device procurement list</translation>
    </message>
    <message>
        <source>验收台账</source>
        <translation>Acceptances ledger</translation>
    </message>
    <message>
        <source>年度动态更新台账</source>
        <translation>Annual update ledger</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>县（市、区）</source>
        <translation>County</translation>
    </message>
    <message>
        <source>乡镇（街道）</source>
        <translation>Township (subdistrict)</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>家庭住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>户主姓名</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>家庭经济状况</source>
        <translation>Economic status</translation>
    </message>
    <message>
        <source>住房类型</source>
        <translation>Housing type</translation>
    </message>
    <message>
        <source>危房等级</source>
        <translation>Dangerous house grade</translation>
    </message>
    <message>
        <source>在册残疾人数</source>
        <translation>Registered persons</translation>
    </message>
    <message>
        <source>最近访视日期</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>残疾人证号</source>
        <translation>Disability certificate no.</translation>
    </message>
    <message>
        <source>残疾类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>残疾等级</source>
        <translation>Disability level</translation>
    </message>
    <message>
        <source>人员状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>困难残疾人生活补贴</source>
        <translation>Living subsidy</translation>
    </message>
    <message>
        <source>重度残疾人护理补贴</source>
        <translation>Care subsidy</translation>
    </message>
    <message>
        <source>访视日期</source>
        <translation>Visit date</translation>
    </message>
    <message>
        <source>起止时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>被访残疾人</source>
        <translation>Person visited</translation>
    </message>
    <message>
        <source>访视人员</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>访视状态</source>
        <translation>Visit status</translation>
    </message>
    <message>
        <source>已完成表单数</source>
        <translation>Forms completed</translation>
    </message>
    <message>
        <source>已完成表单</source>
        <translation>Completed forms</translation>
    </message>
    <message>
        <source>残疾人</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>项目类型</source>
        <translation>Project kind</translation>
    </message>
    <message>
        <source>项目名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>项目状态</source>
        <translation>Project status</translation>
    </message>
    <message>
        <source>施工单位</source>
        <translation>Contractor</translation>
    </message>
    <message>
        <source>预算（元）</source>
        <translation>Budget (yuan)</translation>
    </message>
    <message>
        <source>计划金额（元）</source>
        <translation>Planned (yuan)</translation>
    </message>
    <message>
        <source>结算金额（元）</source>
        <translation>Settled (yuan)</translation>
    </message>
    <message>
        <source>申请日期</source>
        <translation>Applied on</translation>
    </message>
    <message>
        <source>完成期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>验收日期</source>
        <translation>Accepted on</translation>
    </message>
    <message>
        <source>验收结论</source>
        <translation>Acceptance result</translation>
    </message>
    <message>
        <source>验收单编号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <source>开工日期</source>
        <translation>Work started</translation>
    </message>
    <message>
        <source>竣工日期</source>
        <translation>Work finished</translation>
    </message>
    <message>
        <source>验收轮次</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>验收组成员</source>
        <translation>Acceptance team</translation>
    </message>
    <message>
        <source>群众满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation>Rectify by</translation>
    </message>
    <message>
        <source>出具日期</source>
        <translation>Certificate issued</translation>
    </message>
    <message>
        <source>辅具类别</source>
        <translation>Device class</translation>
    </message>
    <message>
        <source>器具编码</source>
        <translation>Device code</translation>
    </message>
    <message>
        <source>分类代码</source>
        <translation>ISO code</translation>
    </message>
    <message>
        <source>器具名称</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>需求人数</source>
        <translation>Persons in need</translation>
    </message>
    <message>
        <source>需求数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>其中需评估</source>
        <translation>Of which to assess</translation>
    </message>
    <message>
        <source>其中到期更换</source>
        <translation>Of which replacement due</translation>
    </message>
    <message>
        <source>补贴标准（元）</source>
        <translation>Subsidy (yuan)</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>需求类型</source>
        <translation>Need type</translation>
    </message>
    <message>
        <source>需求内容</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>转介去向（责任单位）</source>
        <translation>Referred to (responsible body)</translation>
    </message>
    <message>
        <source>跟进状态</source>
        <translation>Follow-up state</translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation>Opened</translation>
    </message>
    <message>
        <source>办理期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>是否逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>办结日期</source>
        <translation>Closed on</translation>
    </message>
    <message>
        <source>办结方式</source>
        <translation>How closed</translation>
    </message>
    <message>
        <source>办结说明</source>
        <translation>Closing note</translation>
    </message>
    <message>
        <source>本年访视次数</source>
        <translation>Visits this year</translation>
    </message>
    <message>
        <source>访视结果</source>
        <translation>Visit outcome</translation>
    </message>
    <message>
        <source>本年变更项目</source>
        <translation>Changed this year</translation>
    </message>
</context>
<context>
    <name>LedgerScreen</name>
    <message>
        <source>台账</source>
        <translation>Ledgers</translation>
    </message>
    <message>
        <source>按期间</source>
        <translation>By period</translation>
    </message>
    <message>
        <source>导出完整身份证号（仅限有权限的角色，将记入审计日志）</source>
        <translation>Export full ID numbers (permitted roles only; recorded in the audit log)</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Area</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>导出 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>按%1筛选</source>
        <translation>Filtered by %1</translation>
    </message>
    <message>
        <source>此台账为当前在册情况，不按期间筛选</source>
        <translation>This ledger is the current register; it is not filtered by period</translation>
    </message>
    <message>
        <source>您的角色不能导出完整身份证号</source>
        <translation>Your role may not export full ID numbers</translation>
    </message>
    <message>
        <source>起始日期不能晚于截止日期</source>
        <translation>The start date cannot be after the end date</translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation>Building the preview…</translation>
    </message>
    <message>
        <source>共 %1 条，显示前 %2 条（证件号已脱敏）</source>
        <translation>Rows: %1; the first %2 shown (ID numbers masked)</translation>
    </message>
    <message>
        <source>%1_%2.xlsx</source>
        <translation>%1_%2.xlsx</translation>
    </message>
    <message>
        <source>导出台账</source>
        <translation>Export ledger</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已导出 %1 条到 %2</source>
        <translation>Exported to %2 (rows: %1)</translation>
    </message>
    <message>
        <source>已取消，未写入文件</source>
        <translation>Cancelled; no file written</translation>
    </message>
    <message>
        <source>当前角色无权导出完整身份证号</source>
        <translation>Your role may not export full ID numbers</translation>
    </message>
    <message>
        <source>无法写入“%1”：%2</source>
        <translation>Cannot write &quot;%1&quot;: %2</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>HomeVisit 入户访视 - 登录</source>
        <translation>HomeVisit - Sign in</translation>
    </message>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>入户访视</source>
        <translation>Home visits</translation>
    </message>
    <message>
        <source>已锁定，请输入密码解锁</source>
        <translation>Locked: enter your password to unlock</translation>
    </message>
    <message>
        <source>离线登录：无需网络，密码打开本机加密保存的资料</source>
        <translation>Offline sign-in: no network needed; your password opens this laptop&apos;s encrypted data</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>可以再次尝试登录</source>
        <translation>You can try signing in again</translation>
    </message>
    <message numerus="yes">
        <source>密码错误次数过多，请在 %n 秒后再试</source>
        <translation>
            <numerusform>Too many wrong passwords. Try again in %n second.</numerusform>
            <numerusform>Too many wrong passwords. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>本机的密钥文件 keys.json 不见了，加密的资料无法打开。请不要删除数据文件夹，联系管理员恢复密钥文件或备份。</source>
        <translation>This laptop&apos;s key file keys.json is missing, so the encrypted data cannot be opened. Do not delete the data folder; contact your administrator to restore the key file or a backup.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>HomeVisit 入户访视</source>
        <translation>HomeVisit</translation>
    </message>
    <message>
        <source>户档</source>
        <translation>Registry</translation>
    </message>
    <message>
        <source>访视</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>改造项目</source>
        <translation>Projects</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>Ledgers</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>当前用户：%1（%2）  辖区：%3</source>
        <translation>User: %1 (%2)  Area: %3</translation>
    </message>
    <message>
        <source>在册 %1 人</source>
        <translation>Registered: %1</translation>
    </message>
    <message>
        <source>待同步 %1 项</source>
        <translation>To sync: %1</translation>
    </message>
    <message>
        <source>被拒收 %1 项（见“同步 → 被拒收的修改”）</source>
        <translation>%1 refused (see Sync → Refused changes)</translation>
    </message>
    <message>
        <source>上次同步失败：%1</source>
        <translation>Last sync failed: %1</translation>
    </message>
    <message>
        <source>上次同步成功：%1</source>
        <translation>Last successful sync: %1</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
</context>
<context>
    <name>NeedItemDialog</name>
    <message>
        <source>跟进需求事项</source>
        <translation>Follow up a need</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>如：县残疾人康复中心</source>
        <translation>e.g. County rehabilitation centre</translation>
    </message>
    <message>
        <source>办结或无法办理时必填：办理结果或原因</source>
        <translation>Required to close or mark as cannot be met: the outcome or the reason</translation>
    </message>
    <message>
        <source>需求</source>
        <translation>Need</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>全户</source>
        <translation>Whole household</translation>
    </message>
    <message>
        <source>办理期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>跟进状态</source>
        <translation>Follow-up state</translation>
    </message>
    <message>
        <source>转介去向（责任单位）</source>
        <translation>Referred to (responsible body)</translation>
    </message>
    <message>
        <source>原因或办理结果</source>
        <translation>Reason or outcome</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>该需求已办结，如需重新开启请联系县区残联</source>
        <translation>This need is closed; to reopen it, ask the county federation</translation>
    </message>
    <message>
        <source>标为“已办结”或“无法办理”必须填写原因或办理结果</source>
        <translation>To mark it “Closed” or “Cannot be met”, enter the reason or the outcome</translation>
    </message>
</context>
<context>
    <name>NeedItemsPanel</name>
    <message>
        <source>需求事项</source>
        <translation>Need items</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>需求类型</source>
        <translation>Need type</translation>
    </message>
    <message>
        <source>需求内容</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>转介去向</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation>Opened</translation>
    </message>
    <message>
        <source>办理期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>跟进…</source>
        <translation>Follow up…</translation>
    </message>
    <message>
        <source>（逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <source>全户</source>
        <translation>Whole household</translation>
    </message>
    <message>
        <source>暂无需求事项（访视完成后由需求评估生成）</source>
        <translation>No need items yet (a completed visit&apos;s assessment creates them)</translation>
    </message>
    <message>
        <source>共 %1 项，未办结 %2 项，逾期 %3 项</source>
        <translation>%1 in all, %2 open, %3 overdue</translation>
    </message>
    <message>
        <source>保存失败，请重试</source>
        <translation>Saving failed; try again</translation>
    </message>
</context>
<context>
    <name>NewPasswordDialog</name>
    <message>
        <source>设置新密码</source>
        <translation>Set a new password</translation>
    </message>
    <message>
        <source>管理员已重置您的密码。请设置一个只有您自己知道的新密码，之后用新密码登录本机和服务器。</source>
        <translation>An administrator reset your password. Set a new one that only you know; from now on you sign in to this laptop and the server with it.</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>保存新密码</source>
        <translation>Save new password</translation>
    </message>
    <message>
        <source>请输入新密码</source>
        <translation>Enter a new password</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>请先设置新密码</source>
        <translation>Set a new password first</translation>
    </message>
</context>
<context>
    <name>PersonAlertsBox</name>
    <message>
        <source>需求预警</source>
        <translation>Need alerts</translation>
    </message>
    <message>
        <source>已处理（%1，%2）：%3</source>
        <translation>Handled (%1, %2): %3</translation>
    </message>
    <message>
        <source>标记已处理</source>
        <translation>Mark as handled</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <source>编辑人员</source>
        <translation>Edit person</translation>
    </message>
    <message>
        <source>新增人员</source>
        <translation>Add person</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(select)</translation>
    </message>
    <message>
        <source>20位：身份证号 + 类别 + 等级</source>
        <translation>20 characters: ID number + category + level</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>配偶</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <source>子女</source>
        <translation>Child</translation>
    </message>
    <message>
        <source>父母</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>享受困难残疾人生活补贴</source>
        <translation>Receives living subsidy for disabled people in hardship</translation>
    </message>
    <message>
        <source>享受重度残疾人护理补贴</source>
        <translation>Receives care subsidy for severely disabled people</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>残疾类别</source>
        <translation>Disability category</translation>
    </message>
    <message>
        <source>残疾等级</source>
        <translation>Disability level</translation>
    </message>
    <message>
        <source>残疾人证号</source>
        <translation>Disability certificate no.</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>性别：%1&#x3000;出生日期：%2</source>
        <translation>Gender: %1   Date of birth: %2</translation>
    </message>
    <message numerus="yes">
        <source>有 %n 项需要修改，未保存</source>
        <translation>
            <numerusform>%n field needs correcting; not saved</numerusform>
            <numerusform>%n fields need correcting; not saved</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PersonTableModel</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>残疾类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>经济状况</source>
        <translation>Welfare</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>最近访视</source>
        <translation>Last visit</translation>
    </message>
</context>
<context>
    <name>PhotoField</name>
    <message>
        <source>从文件添加…</source>
        <translation>Add from file…</translation>
    </message>
    <message>
        <source>最多 %1 张</source>
        <translation>Max. %1 photos</translation>
    </message>
    <message>
        <source>选择照片</source>
        <translation>Choose photos</translation>
    </message>
    <message>
        <source>图片 (*.jpg *.jpeg *.png *.bmp *.webp)</source>
        <translation>Images (*.jpg *.jpeg *.png *.bmp *.webp)</translation>
    </message>
    <message>
        <source>查找范围：</source>
        <translation>Look in:</translation>
    </message>
    <message>
        <source>文件名：</source>
        <translation>File name:</translation>
    </message>
    <message>
        <source>文件类型：</source>
        <translation>Files of type:</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>用相机拍照</source>
        <translation>Take with camera</translation>
    </message>
    <message>
        <source>打开电脑的相机程序；拍好的照片会出现在这里，点一下即可添加</source>
        <translation>Opens the laptop&apos;s camera app; the photos you take appear here, one click adds them</translation>
    </message>
    <message>
        <source>拍好照片后，新照片会出现在这里（%1）。</source>
        <translation>New photos appear here once taken (%1).</translation>
    </message>
    <message>
        <source>没有找到相机程序。请用任何相机拍照并存入 %1，新照片会出现在这里。</source>
        <translation>No camera app found. Take the photos with any camera and save them in %1; new photos appear here.</translation>
    </message>
    <message>
        <source>添加新照片（%1 张）</source>
        <translation>Add new photos (%1)</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <source>查看照片</source>
        <translation>Photo viewer</translation>
    </message>
    <message>
        <source>◀ 上一张</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <source>下一张 ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>第 %1 / %2 张</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <source>正在加载…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>无法显示这张照片（可能尚未下载）</source>
        <translation>This photo cannot be shown (it may not be downloaded yet)</translation>
    </message>
</context>
<context>
    <name>PlanTable</name>
    <message>
        <source>改造内容</source>
        <translation>Work item</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>单价（元）</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>“%1”：数量须为大于0的数字</source>
        <translation>“%1”: quantity must be a number above 0</translation>
    </message>
    <message>
        <source>“%1”：单价须为不小于0的数字</source>
        <translation>“%1”: unit price must be a number of 0 or more</translation>
    </message>
</context>
<context>
    <name>ProjectDialog</name>
    <message>
        <source>修改改造方案</source>
        <translation>Edit renovation plan</translation>
    </message>
    <message>
        <source>由访视需求创建改造项目</source>
        <translation>New renovation project from visit needs</translation>
    </message>
    <message>
        <source>新建改造项目</source>
        <translation>New renovation project</translation>
    </message>
    <message>
        <source>保存方案</source>
        <translation>Save plan</translation>
    </message>
    <message>
        <source>创建项目</source>
        <translation>Create project</translation>
    </message>
    <message>
        <source>输入姓名、拼音首字母或身份证号片段查找</source>
        <translation>Search by name, pinyin initials or part of the ID number</translation>
    </message>
    <message>
        <source>留空则为“户主户+改造类别”</source>
        <translation>Blank: head of household + project kind</translation>
    </message>
    <message>
        <source>留空则按计划合计</source>
        <translation>Blank: the planned total</translation>
    </message>
    <message>
        <source>设定</source>
        <translation>Set</translation>
    </message>
    <message>
        <source>家庭</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>残疾人</source>
        <translation>Disabled person</translation>
    </message>
    <message>
        <source>改造类别</source>
        <translation>Project kind</translation>
    </message>
    <message>
        <source>项目名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>施工单位</source>
        <translation>Contractor</translation>
    </message>
    <message>
        <source>预算（元）</source>
        <translation>Budget (yuan)</translation>
    </message>
    <message>
        <source>完成期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>超出限额，确认申请</source>
        <translation>Over the cap: apply anyway</translation>
    </message>
    <message>
        <source>超出每户上限的项目须报县残联审批</source>
        <translation>A project over the household cap needs the county federation&apos;s approval</translation>
    </message>
    <message>
        <source>勾选改造内容，双击数量或单价可修改</source>
        <translation>Tick the work items; double-click a quantity or price to change it</translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation>(not assigned)</translation>
    </message>
    <message>
        <source>%1 户</source>
        <translation>Household: %1</translation>
    </message>
    <message>
        <source>（不指定）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>没有找到匹配的人员</source>
        <translation>No matching person</translation>
    </message>
    <message>
        <source>计划合计 %1 元</source>
        <translation>Planned total %1 yuan</translation>
    </message>
    <message>
        <source>，每户上限 %1 元</source>
        <translation>, cap %1 yuan per household</translation>
    </message>
    <message>
        <source>⚠ 超出每户上限 %1 元（%2 元）。超出限额须报县残联审批，确认后勾选下方选项。</source>
        <translation>⚠ %1 yuan over the household cap (%2 yuan). Over-cap projects need the county federation&apos;s approval; tick below to confirm.</translation>
    </message>
    <message>
        <source>请先查找并选择家庭</source>
        <translation>Find and choose a household first</translation>
    </message>
    <message>
        <source>请至少勾选一项改造内容</source>
        <translation>Tick at least one work item</translation>
    </message>
    <message>
        <source>预算须为不小于0的金额，如 5800 或 5800.50</source>
        <translation>Budget must be an amount of 0 or more, e.g. 5800 or 5800.50</translation>
    </message>
    <message>
        <source>金额超出每户上限：请调整方案，或勾选“超出限额，确认申请”</source>
        <translation>Over the household cap: change the plan, or tick “Over the cap: apply anyway”</translation>
    </message>
    <message>
        <source>修改后的预算不能超过每户上限 %1 元</source>
        <translation>The changed budget cannot exceed the household cap of %1 yuan</translation>
    </message>
    <message>
        <source>未保存：%1</source>
        <translation>Not saved: %1</translation>
    </message>
    <message numerus="yes">
        <source>有 %n 项需要修改，未保存</source>
        <translation>
            <numerusform>%n field needs correcting; nothing saved</numerusform>
            <numerusform>%n fields need correcting; nothing saved</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProjectListView</name>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>仅显示逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <source>批量导出验收单…</source>
        <translation>Export certificates…</translation>
    </message>
    <message>
        <source>验证验收单…</source>
        <translation>Verify certificate…</translation>
    </message>
    <message>
        <source>新建改造项目…</source>
        <translation>New project…</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Area</translation>
    </message>
    <message>
        <source>改造项目</source>
        <translation>Renovation projects</translation>
    </message>
    <message>
        <source>共 %1 个项目</source>
        <translation>Projects: %1</translation>
    </message>
    <message>
        <source>，其中逾期 %1 个</source>
        <translation>, overdue: %1</translation>
    </message>
</context>
<context>
    <name>ProjectPage</name>
    <message>
        <source>← 返回项目列表</source>
        <translation>← Back to projects</translation>
    </message>
    <message>
        <source>家庭</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>残疾人</source>
        <translation>Disabled person</translation>
    </message>
    <message>
        <source>改造类别</source>
        <translation>Project kind</translation>
    </message>
    <message>
        <source>施工单位</source>
        <translation>Contractor</translation>
    </message>
    <message>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>完成期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>基本情况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next step</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>单价</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <source>计划数量</source>
        <translation>Planned qty</translation>
    </message>
    <message>
        <source>计划金额</source>
        <translation>Planned amount</translation>
    </message>
    <message>
        <source>实际数量</source>
        <translation>Actual qty</translation>
    </message>
    <message>
        <source>实际金额</source>
        <translation>Actual amount</translation>
    </message>
    <message>
        <source>改造方案</source>
        <translation>Renovation plan</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>办理进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>改造前后照片</source>
        <translation>Photos before and after</translation>
    </message>
    <message>
        <source>改造前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>改造后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation>(not assigned)</translation>
    </message>
    <message>
        <source>（未确定）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <source>，每户上限 %1 元</source>
        <translation>, cap %1 yuan per household</translation>
    </message>
    <message>
        <source>%1 元</source>
        <translation>%1 yuan</translation>
    </message>
    <message>
        <source>计划合计 %1 元    结算合计 %2 元</source>
        <translation>Planned total %1 yuan    Settled total %2 yuan</translation>
    </message>
    <message>
        <source>继续第 %1 轮验收…</source>
        <translation>Continue acceptance round %1…</translation>
    </message>
    <message>
        <source>开始验收…</source>
        <translation>Start acceptance…</translation>
    </message>
    <message>
        <source>等待验收组现场验收（验收由验收人员办理）。</source>
        <translation>Waiting for the on-site acceptance (done by the acceptance team).</translation>
    </message>
    <message>
        <source>改为“%1”…</source>
        <translation>Change to “%1”…</translation>
    </message>
    <message>
        <source>修改改造方案…</source>
        <translation>Edit plan…</translation>
    </message>
    <message>
        <source>添加改造前照片…</source>
        <translation>Add photos before works…</translation>
    </message>
    <message>
        <source>出具验收单</source>
        <translation>Issue acceptance certificate</translation>
    </message>
    <message>
        <source>查看/打印验收单 %1</source>
        <translation>View/print acceptance certificate %1</translation>
    </message>
    <message>
        <source>整改期限：%1</source>
        <translation>Rectify by: %1</translation>
    </message>
    <message>
        <source>项目已归档，无需办理。</source>
        <translation>The project is archived; nothing left to do.</translation>
    </message>
    <message>
        <source>当前没有需要您办理的事项。</source>
        <translation>Nothing for you to do here now.</translation>
    </message>
    <message>
        <source>无法完成</source>
        <translation>Cannot complete</translation>
    </message>
    <message>
        <source>改为“%1”</source>
        <translation>Change to “%1”</translation>
    </message>
    <message>
        <source>说明（可不填）：</source>
        <translation>Note (optional):</translation>
    </message>
    <message>
        <source>选择改造前照片</source>
        <translation>Choose photos before works</translation>
    </message>
</context>
<context>
    <name>ProjectTableModel</name>
    <message>
        <source>户主</source>
        <translation>Head</translation>
    </message>
    <message>
        <source>残疾人</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>改造类别</source>
        <translation>Project kind</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>计划金额（元）</source>
        <translation>Planned (yuan)</translation>
    </message>
    <message>
        <source>施工单位</source>
        <translation>Contractor</translation>
    </message>
    <message>
        <source>完成期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>（已逾期）</source>
        <translation> (overdue)</translation>
    </message>
</context>
<context>
    <name>ProjectTitle</name>
    <message>
        <source>%1户%2</source>
        <translation>%2 for the %1 household</translation>
    </message>
</context>
<context>
    <name>QuestionWidget</name>
    <message>
        <source>未知题型：%1</source>
        <translation>Unknown question type: %1</translation>
    </message>
</context>
<context>
    <name>RecordLabels</name>
    <message>
        <source>验收记录</source>
        <translation>Acceptance</translation>
    </message>
    <message>
        <source>验收日期</source>
        <translation>Acceptance date</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>实际数量</source>
        <translation>Actual quantity</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>预算</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>改造项目编码</source>
        <translation>Item code</translation>
    </message>
    <message>
        <source>残疾类别</source>
        <translation>Disability category</translation>
    </message>
    <message>
        <source>残疾人证号</source>
        <translation>Disability certificate no.</translation>
    </message>
    <message>
        <source>验收单编号</source>
        <translation>Certificate serial</translation>
    </message>
    <message>
        <source>完成时间</source>
        <translation>Completed at</translation>
    </message>
    <message>
        <source>验收结论</source>
        <translation>Acceptance result</translation>
    </message>
    <message>
        <source>施工单位</source>
        <translation>Contractor</translation>
    </message>
    <message>
        <source>创建时间</source>
        <translation>Created at</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>计划完成日期</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>经济状况</source>
        <translation>Economic status</translation>
    </message>
    <message>
        <source>结束时间</source>
        <translation>Ended at</translation>
    </message>
    <message>
        <source>表单</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>表单版本</source>
        <translation>Form version</translation>
    </message>
    <message>
        <source>原状态</source>
        <translation>Previous status</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>护理补贴</source>
        <translation>Care subsidy</translation>
    </message>
    <message>
        <source>生活补贴</source>
        <translation>Living subsidy</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>危房等级</source>
        <translation>House safety grade</translation>
    </message>
    <message>
        <source>所属家庭</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>住房类型</source>
        <translation>Housing type</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>出具时间</source>
        <translation>Issued at</translation>
    </message>
    <message>
        <source>改造类别</source>
        <translation>Renovation kind</translation>
    </message>
    <message>
        <source>残疾等级</source>
        <translation>Disability level</translation>
    </message>
    <message>
        <source>文件类型</source>
        <translation>File type</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>验收意见</source>
        <translation>Acceptance opinion</translation>
    </message>
    <message>
        <source>所属记录</source>
        <translation>Belongs to record</translation>
    </message>
    <message>
        <source>所属数据</source>
        <translation>Belongs to table</translation>
    </message>
    <message>
        <source>验收单文件</source>
        <translation>Certificate file</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>计划数量</source>
        <translation>Planned quantity</translation>
    </message>
    <message>
        <source>顺序</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>改造项目</source>
        <translation>Renovation project</translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation>Rectification deadline</translation>
    </message>
    <message>
        <source>所属村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>重新打开原因</source>
        <translation>Reason for reopening</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>Use</translation>
    </message>
    <message>
        <source>验收轮次</source>
        <translation>Acceptance round</translation>
    </message>
    <message>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Serial</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>文件大小</source>
        <translation>File size</translation>
    </message>
    <message>
        <source>来源访视</source>
        <translation>Source visit</translation>
    </message>
    <message>
        <source>开始时间</source>
        <translation>Started at</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>访视摘要</source>
        <translation>Visit summary</translation>
    </message>
    <message>
        <source>验收组成员</source>
        <translation>Acceptance team</translation>
    </message>
    <message>
        <source>项目名称</source>
        <translation>Project title</translation>
    </message>
    <message>
        <source>新状态</source>
        <translation>New status</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>单价</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <source>校验码</source>
        <translation>Verification code</translation>
    </message>
    <message>
        <source>访视</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>专职委员</source>
        <translation>Caseworker</translation>
    </message>
    <message>
        <source>您的账号角色无权做这项修改</source>
        <translation>Your account&apos;s role may not make this change</translation>
    </message>
    <message>
        <source>这条记录不在您的辖区内</source>
        <translation>This record is outside your regions</translation>
    </message>
    <message>
        <source>值不符合规则</source>
        <translation>The value breaks a rule</translation>
    </message>
    <message>
        <source>经办人须为登录账号本人</source>
        <translation>The person recorded must be the logged-in account</translation>
    </message>
    <message>
        <source>这一状态变化不符合改造流程，或您的角色不能做</source>
        <translation>This status change does not follow the renovation workflow, or your role may not make it</translation>
    </message>
    <message>
        <source>项目已验收或归档，须由县区残联重新开启后才能修改</source>
        <translation>The project is accepted or archived; the county federation must reopen it before it can change</translation>
    </message>
    <message>
        <source>有法律效力的记录不能删除</source>
        <translation>Records with legal weight cannot be deleted</translation>
    </message>
    <message>
        <source>记录的设备与登录的设备不一致</source>
        <translation>The device recorded is not the logged-in device</translation>
    </message>
    <message>
        <source>引用的记录不在您的辖区内</source>
        <translation>The record referred to is outside your regions</translation>
    </message>
    <message>
        <source>服务器不认识这个字段（请升级客户端）</source>
        <translation>The server does not know this field (please update the app)</translation>
    </message>
    <message>
        <source>值的类型不对</source>
        <translation>The value has the wrong type</translation>
    </message>
    <message>
        <source>此项不能为空</source>
        <translation>This field cannot be empty</translation>
    </message>
    <message>
        <source>数值超出范围</source>
        <translation>The number is out of range</translation>
    </message>
    <message>
        <source>不是有效数字</source>
        <translation>Not a valid number</translation>
    </message>
    <message>
        <source>内容过长</source>
        <translation>The text is too long</translation>
    </message>
    <message>
        <source>内容嵌套过深</source>
        <translation>The content is nested too deeply</translation>
    </message>
    <message>
        <source>内容含有不可见的控制字符</source>
        <translation>The text contains invisible control characters</translation>
    </message>
    <message>
        <source>值不在可选范围内</source>
        <translation>The value is not one of the allowed choices</translation>
    </message>
    <message>
        <source>日期无效（应为 YYYY-MM-DD 的真实日期）</source>
        <translation>Invalid date (a real date as YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>时间无效</source>
        <translation>Invalid time</translation>
    </message>
    <message>
        <source>区划代码应为12位数字的村（社区）代码</source>
        <translation>The region code must be a 12-digit village (community) code</translation>
    </message>
    <message>
        <source>修改时间戳格式错误</source>
        <translation>The change&apos;s clock has a wrong format</translation>
    </message>
    <message>
        <source>编码只能包含半角字母、数字和符号</source>
        <translation>Codes may contain only ASCII letters, digits and symbols</translation>
    </message>
    <message>
        <source>身份证号无效</source>
        <translation>Invalid ID number</translation>
    </message>
    <message>
        <source>指向的记录不存在</source>
        <translation>The record referred to does not exist</translation>
    </message>
    <message>
        <source>表单答案不符合该题的要求</source>
        <translation>The answer does not fit its question</translation>
    </message>
    <message>
        <source>服务器未接收（原因代码：%1）</source>
        <translation>Not accepted by the server (reason code: %1)</translation>
    </message>
    <message>
        <source>表单答案：%1</source>
        <translation>Form answer: %1</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <source>全部县区</source>
        <translation>All counties</translation>
    </message>
    <message>
        <source>全部乡镇（街道）</source>
        <translation>All townships</translation>
    </message>
    <message>
        <source>全部村（社区）</source>
        <translation>All villages</translation>
    </message>
</context>
<context>
    <name>RegistryView</name>
    <message>
        <source>搜索：姓名、拼音首字母（如 zsf）、身份证号或残疾证号任意3位、住址、电话</source>
        <translation>Search: name, pinyin initials (e.g. zsf), any 3 digits of ID or certificate number, address, phone</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部等级</source>
        <translation>All levels</translation>
    </message>
    <message>
        <source>全部经济状况</source>
        <translation>All welfare statuses</translation>
    </message>
    <message>
        <source>今年未访视</source>
        <translation>Not visited this year</translation>
    </message>
    <message>
        <source>新建家庭…</source>
        <translation>New household…</translation>
    </message>
    <message>
        <source>导入花名册…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Area</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 人</source>
        <translation>
            <numerusform>%n person</numerusform>
            <numerusform>%n people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RejectedBanner</name>
    <message>
        <source>改正后重新提交</source>
        <translation>Fix, then resend</translation>
    </message>
    <message>
        <source>先在本页改正这些值（新的修改会替换被拒收的修改），再点此重新提交；同步时上传。</source>
        <translation>Correct these values on this page first (a new edit replaces the refused one), then click here to resend; they are sent at the next sync.</translation>
    </message>
    <message>
        <source>放弃这些修改…</source>
        <translation>Discard these changes…</translation>
    </message>
    <message>
        <source>服务器未接收本记录的 %1 项修改：</source>
        <translation>Changes of this record the server refused: %1</translation>
    </message>
    <message>
        <source>放弃后将以服务器上的数据为准。请填写放弃的原因（记录在案，不能为空）：</source>
        <translation>After discarding, the server&apos;s data is kept. Please give a reason (recorded; required):</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>原因不能为空。请填写放弃这些修改的原因：</source>
        <translation>A reason is required. Why are these changes discarded?</translation>
    </message>
</context>
<context>
    <name>ResumePrompt</name>
    <message>
        <source>未完成的访视</source>
        <translation>Unfinished visits</translation>
    </message>
    <message>
        <source>您有 %1 个未完成的访视。选中一个后点击“继续访视”，会回到上次停下的页面。</source>
        <translation>You have %1 unfinished visits. Select one and click “Continue visit” to return to the page where you stopped.</translation>
    </message>
    <message>
        <source>开始时间</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>访视对象</source>
        <translation>Person visited</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>表单（已填/必填）</source>
        <translation>Forms (answered/required)</translation>
    </message>
    <message>
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>继续访视</source>
        <translation>Continue visit</translation>
    </message>
</context>
<context>
    <name>ReturnedPanel</name>
    <message>
        <source>访视对象</source>
        <translation>Person visited</translation>
    </message>
    <message>
        <source>退回意见</source>
        <translation>Reason returned</translation>
    </message>
    <message>
        <source>审核人</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>退回时间</source>
        <translation>Returned at</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>按意见修改</source>
        <translation>Correct as asked</translation>
    </message>
    <message>
        <source>%1 个访视被审核退回，请按意见修改后重新完成</source>
        <translation>%1 visit(s) returned by the reviewer: correct them as asked and complete them again</translation>
    </message>
    <message>
        <source>待修改</source>
        <translation>To correct</translation>
    </message>
    <message>
        <source>修改中</source>
        <translation>Being corrected</translation>
    </message>
    <message>
        <source>访视</source>
        <translation>Visits</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>完成前检查</source>
        <translation>Review before completing</translation>
    </message>
    <message>
        <source>未填或有误（点击跳转修改）</source>
        <translation>Missing or wrong (click to go there)</translation>
    </message>
    <message>
        <source>签字</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <source>返回修改</source>
        <translation>Back to editing</translation>
    </message>
    <message>
        <source>确认完成访视</source>
        <translation>Complete visit</translation>
    </message>
    <message>
        <source>已签字</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>未签字</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>本次访视无需签字</source>
        <translation>No signature needed for this visit</translation>
    </message>
    <message>
        <source>还有 %1 项未填或有误，补全后才能完成。点击左侧条目跳转到该题。</source>
        <translation>Items missing or wrong: %1. Fix them to complete; click an item on the left to go to its question.</translation>
    </message>
    <message>
        <source>所有必填项均已填写。请核对下面的答案，确认无误后完成访视。</source>
        <translation>All required questions are answered. Check the answers below, then complete the visit.</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not answered)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>%1 张照片</source>
        <translation>%1 photo(s)</translation>
    </message>
</context>
<context>
    <name>RosterImportDialog</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>残疾证号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <source>残疾类别</source>
        <translation>Disability category</translation>
    </message>
    <message>
        <source>残疾等级</source>
        <translation>Disability level</translation>
    </message>
    <message>
        <source>户籍地址</source>
        <translation>Registered address</translation>
    </message>
    <message>
        <source>现住址</source>
        <translation>Current address</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>所属村(社区)</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>户编号</source>
        <translation>Household number</translation>
    </message>
    <message>
        <source>家庭经济状况</source>
        <translation>Economic status</translation>
    </message>
    <message>
        <source>导入花名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <source>选择 Excel（.xlsx）或 CSV 文件</source>
        <translation>Choose an Excel (.xlsx) or CSV file</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>文件中的列</source>
        <translation>Column in the file</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>重新检查</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>确认导入</source>
        <translation>Confirm import</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>列对应（可调整，下次自动沿用）</source>
        <translation>Column mapping (adjustable, remembered for next time)</translation>
    </message>
    <message>
        <source>检查结果</source>
        <translation>Check result</translation>
    </message>
    <message>
        <source>选择花名册</source>
        <translation>Choose a roster</translation>
    </message>
    <message>
        <source>花名册 (*.xlsx *.csv);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>正在读取文件…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <source>第 %1 行为表头，共 %2 行数据</source>
        <translation>Header in row %1, %2 data rows</translation>
    </message>
    <message>
        <source>；编码：%1</source>
        <translation>; encoding: %1</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(not imported)</translation>
    </message>
    <message>
        <source>第%1列</source>
        <translation>Column %1</translation>
    </message>
    <message>
        <source>列对应已改变，请点“重新检查”</source>
        <translation>The mapping has changed: press “Check again”</translation>
    </message>
    <message>
        <source>现住址或户籍地址</source>
        <translation>Current or registered address</translation>
    </message>
    <message>
        <source>请先为以下字段选择对应的列：%1</source>
        <translation>Choose the column for: %1</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>检查完成：请核对问题行，确认后只导入无问题的行</source>
        <translation>Checked: review the rows with problems; confirming imports only the clean rows</translation>
    </message>
    <message>
        <source>检查完成：所有行均无问题</source>
        <translation>Checked: every row is clean</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>已导入 %1 人、新建 %2 户</source>
        <translation>Imported: persons %1, new households %2</translation>
    </message>
    <message>
        <source>共 %1 行：可导入 %2 人（%3 户），已在册 %4 人，有问题 %5 行</source>
        <translation>Rows: %1. To import: persons %2 (households %3); already registered: %4; rows with problems: %5</translation>
    </message>
    <message>
        <source>已取消，未写入任何记录</source>
        <translation>Cancelled, nothing was written</translation>
    </message>
    <message>
        <source>确认导入 %1 人</source>
        <translation>Import (persons: %1)</translation>
    </message>
</context>
<context>
    <name>SelectOneQuestion</name>
    <message>
        <source>（请选择）</source>
        <translation>(select)</translation>
    </message>
</context>
<context>
    <name>ServiceMessage</name>
    <message>
        <source>电话号码格式不正确：手机号为11位，座机如 0570-1234567</source>
        <translation>Invalid phone number: mobile 11 digits, landline like 0570-1234567</translation>
    </message>
    <message>
        <source>请填写家庭住址</source>
        <translation>Enter the home address</translation>
    </message>
    <message>
        <source>请选择到村（社区）一级</source>
        <translation>Choose down to the village (community) level</translation>
    </message>
    <message>
        <source>请选择家庭经济状况</source>
        <translation>Choose the household&apos;s economic status</translation>
    </message>
    <message>
        <source>请填写姓名</source>
        <translation>Enter the name</translation>
    </message>
    <message>
        <source>姓名应为2到20个汉字或字母</source>
        <translation>The name must be 2 to 20 Chinese characters or letters</translation>
    </message>
    <message>
        <source>残疾类别无效</source>
        <translation>Invalid disability category</translation>
    </message>
    <message>
        <source>残疾等级无效</source>
        <translation>Invalid disability level</translation>
    </message>
    <message>
        <source>填写了残疾人证号，请同时选择残疾类别</source>
        <translation>A disability certificate number is entered: choose the disability category too</translation>
    </message>
    <message>
        <source>填写了残疾人证号，请同时选择残疾等级</source>
        <translation>A disability certificate number is entered: choose the disability level too</translation>
    </message>
    <message>
        <source>人员状态无效</source>
        <translation>Invalid person status</translation>
    </message>
    <message>
        <source>该身份证号已登记为“%1”，请勿重复登记</source>
        <translation>This ID number is already registered for “%1”; do not register it twice</translation>
    </message>
    <message>
        <source>请输入身份证号</source>
        <translation>Enter the ID number</translation>
    </message>
    <message>
        <source>身份证号应为18位，现在是%1位</source>
        <translation>The ID number must have 18 characters; it has %1</translation>
    </message>
    <message>
        <source>身份证号前17位必须是数字，最后一位是数字或X</source>
        <translation>The first 17 characters of the ID number must be digits, the last a digit or X</translation>
    </message>
    <message>
        <source>身份证号第1-6位地区码“%1”无效</source>
        <translation>The region code “%1” in characters 1–6 of the ID number is invalid</translation>
    </message>
    <message>
        <source>身份证号第7-14位出生日期“%1”不是有效日期</source>
        <translation>The date of birth “%1” in characters 7–14 of the ID number is not a valid date</translation>
    </message>
    <message>
        <source>身份证号中的出生日期%1晚于今天</source>
        <translation>The date of birth %1 in the ID number is later than today</translation>
    </message>
    <message>
        <source>身份证号中的出生年份%1不可能</source>
        <translation>The year of birth %1 in the ID number is impossible</translation>
    </message>
    <message>
        <source>身份证号校验位错误：最后一位应为“%1”，请核对每一位数字</source>
        <translation>Wrong ID number check digit: the last character should be “%1”; check every digit</translation>
    </message>
    <message>
        <source>残疾人证号应为20位（身份证号+类别+等级），现在是%1位</source>
        <translation>The disability certificate number must have 20 characters (ID number + category + level); it has %1</translation>
    </message>
    <message>
        <source>残疾人证号前18位不是有效身份证号：%1</source>
        <translation>The first 18 characters of the disability certificate number are not a valid ID number: %1</translation>
    </message>
    <message>
        <source>残疾人证号第19位残疾类别“%1”无效，应为1-7</source>
        <translation>The disability category “%1” (character 19 of the certificate number) is invalid; it must be 1–7</translation>
    </message>
    <message>
        <source>残疾人证号第20位残疾等级“%1”无效，应为1-4</source>
        <translation>The disability level “%1” (character 20 of the certificate number) is invalid; it must be 1–4</translation>
    </message>
    <message>
        <source>残疾人证号第20位残疾等级不能为0，持证人须已定级</source>
        <translation>The disability level (character 20 of the certificate number) cannot be 0: a certificate holder must be rated</translation>
    </message>
    <message>
        <source>残疾人证号前18位与本人身份证号不一致</source>
        <translation>The first 18 characters of the disability certificate number differ from the person&apos;s ID number</translation>
    </message>
    <message>
        <source>残疾人证号第19位为%1，与登记的%2不一致</source>
        <translation>Character 19 of the certificate number means %1, which differs from the registered %2</translation>
    </message>
    <message>
        <source>残疾人证号第20位为%1，与登记的%2不一致</source>
        <translation>Character 20 of the certificate number means %1, which differs from the registered %2</translation>
    </message>
    <message>
        <source>示例数据</source>
        <translation>Sample data</translation>
    </message>
    <message>
        <source>区划代码“%1”不在区划目录中，请核对或联系管理员更新目录</source>
        <translation>The region code “%1” is not in the region catalogue; check it or ask the administrator to update the catalogue</translation>
    </message>
    <message>
        <source>新建项目</source>
        <translation>Project created</translation>
    </message>
    <message>
        <source>由访视登记的需求生成</source>
        <translation>Made from a need recorded on a visit</translation>
    </message>
    <message>
        <source>第%1轮验收：%2</source>
        <translation>Round %1 acceptance: %2</translation>
    </message>
    <message>
        <source>经查阅资料和现场核查，各项均符合要求，验收合格。</source>
        <translation>The documents were checked and the site inspected: everything meets the requirements. Accepted.</translation>
    </message>
    <message>
        <source>%1共%2项不符合要求，须于%3年%4月%5日前整改完毕后重新验收。</source>
        <translation>%1: %2 item(s) do not meet the requirements; rectify them by %3-%4-%5, then apply for acceptance again.</translation>
    </message>
    <message>
        <source>“%1”实测%2，%3，应为%4，需整改</source>
        <translation>“%1” measured %2: %3; it should be %4 and needs rectifying</translation>
    </message>
    <message>
        <source>“%1”的实测值“%2”不是有效数字</source>
        <translation>“%1”: the measured value “%2” is not a number</translation>
    </message>
    <message>
        <source>“%1”应为标称值 %2 之一，“%3”不是标称值，请核对铭牌或标识</source>
        <translation>“%1” should be one of the nominal values %2; “%3” is not one, check the rating plate or marking</translation>
    </message>
    <message>
        <source>偏小</source>
        <translation>too low</translation>
    </message>
    <message>
        <source>偏大</source>
        <translation>too high</translation>
    </message>
    <message>
        <source>不陡于 %1</source>
        <translation>no steeper than %1</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>界面语言（重启后生效）</source>
        <translation>Language (after restart)</translation>
    </message>
    <message>
        <source>无操作自动锁定</source>
        <translation>Lock when idle</translation>
    </message>
    <message>
        <source>出证单位（验收单抬头）</source>
        <translation>Issuing body (certificate header)</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>数据文件夹</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>本机设备号</source>
        <translation>Device ID</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>签名区</source>
        <translation>Signature area</translation>
    </message>
    <message>
        <source>请在此处签名</source>
        <translation>Sign here</translation>
    </message>
</context>
<context>
    <name>SignatureQuestion</name>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>撤销一笔</source>
        <translation>Undo stroke</translation>
    </message>
    <message>
        <source>确认签字</source>
        <translation>Confirm signature</translation>
    </message>
    <message>
        <source>重新签字</source>
        <translation>Sign again</translation>
    </message>
</context>
<context>
    <name>SignerBox</name>
    <message>
        <source>签字人姓名</source>
        <translation>Signer&apos;s name</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>确认签名</source>
        <translation>Confirm signature</translation>
    </message>
    <message>
        <source>✔ 已签名</source>
        <translation>✔ Signed</translation>
    </message>
    <message>
        <source>未签名</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>签名</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>请先在签名区签字</source>
        <translation>Please sign in the signature area first</translation>
    </message>
</context>
<context>
    <name>SwitchUserDialog</name>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>当前用户：%1。切换后，%2 未同步的修改仍保留在本机，下次同步时上传。</source>
        <translation>Current user: %1. After switching, %2&apos;s unsynced changes stay on this laptop and are uploaded at the next sync.</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>尚未在本机登录过的服务器账号，需联网登录一次。</source>
        <translation>A server account that has never signed in on this laptop needs one online sign-in.</translation>
    </message>
    <message>
        <source>切换</source>
        <translation>Switch</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <source>上传附件</source>
        <translation>Uploading attachments</translation>
    </message>
    <message>
        <source>上传修改</source>
        <translation>Uploading changes</translation>
    </message>
    <message>
        <source>上传操作记录</source>
        <translation>Uploading the audit log</translation>
    </message>
    <message>
        <source>下载更新</source>
        <translation>Downloading updates</translation>
    </message>
    <message>
        <source>下载附件</source>
        <translation>Downloading attachments</translation>
    </message>
    <message>
        <source>家庭</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>访视</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>访视表单</source>
        <translation>Visit form</translation>
    </message>
    <message>
        <source>改造项目</source>
        <translation>Renovation project</translation>
    </message>
    <message>
        <source>改造项目明细</source>
        <translation>Renovation item</translation>
    </message>
    <message>
        <source>验收</source>
        <translation>Acceptance</translation>
    </message>
    <message>
        <source>验收单</source>
        <translation>Acceptance certificate</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Attachment</translation>
    </message>
    <message>
        <source>附件关联</source>
        <translation>Attachment link</translation>
    </message>
    <message>
        <source>项目进度</source>
        <translation>Project progress</translation>
    </message>
    <message>
        <source>需求事项</source>
        <translation>Need items</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>经济状况</source>
        <translation>Welfare status</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>危房等级</source>
        <translation>Dangerous house grade</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>残疾人证号</source>
        <translation>Disability certificate no.</translation>
    </message>
    <message>
        <source>残疾类别</source>
        <translation>Disability category</translation>
    </message>
    <message>
        <source>残疾等级</source>
        <translation>Disability level</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>访视摘要</source>
        <translation>Visit summary</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>连不上服务器（没有网络或服务器未开）</source>
        <translation>Cannot reach the server (no network, or the server is down)</translation>
    </message>
    <message>
        <source>登录已失效，请重新登录服务器</source>
        <translation>Your login has expired; log in to the server again</translation>
    </message>
    <message>
        <source>服务器拒绝了这次同步</source>
        <translation>The server refused this sync</translation>
    </message>
    <message>
        <source>同步出错</source>
        <translation>Sync error</translation>
    </message>
    <message>
        <source>登录并绑定本机</source>
        <translation>Sign in and bind this computer</translation>
    </message>
    <message>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>数据</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>当前值</source>
        <translation>Current value</translation>
    </message>
    <message>
        <source>当前值来自</source>
        <translation>Current value from</translation>
    </message>
    <message>
        <source>另一个值</source>
        <translation>Other value</translation>
    </message>
    <message>
        <source>另一个值来自</source>
        <translation>Other value from</translation>
    </message>
    <message>
        <source>保留当前值</source>
        <translation>Keep current value</translation>
    </message>
    <message>
        <source>改用另一个值</source>
        <translation>Use other value</translation>
    </message>
    <message>
        <source>同一字段在两处同时被修改时，较新的修改生效，另一个值保留在这里，可以改用它。</source>
        <translation>When the same field is changed in two places, the newer change wins; the other value is kept here and you can switch to it.</translation>
    </message>
    <message>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>重新提交</source>
        <translation>Resubmit</translation>
    </message>
    <message>
        <source>放弃这些修改…</source>
        <translation>Discard these changes…</translation>
    </message>
    <message>
        <source>服务器拒收的修改保留在本机，直到修正后重新提交，或您确认放弃。</source>
        <translation>Changes rejected by the server stay on this computer until they are corrected and resubmitted, or you discard them.</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>被拒收的修改</source>
        <translation>Rejected changes</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Registered at</translation>
    </message>
    <message>
        <source>处理</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>合并选中的重复登记…</source>
        <translation>Merge selected duplicates…</translation>
    </message>
    <message>
        <source>同一身份证号在两台电脑上各登记了一次。合并后保留最早的登记，访视、改造项目和照片转到保留的记录上。</source>
        <translation>The same ID number was registered on two laptops. Merging keeps the earliest registration and moves visits, renovation projects and photos to it.</translation>
    </message>
    <message>
        <source>重复登记</source>
        <translation>Duplicates</translation>
    </message>
    <message>
        <source>收到的内容</source>
        <translation>What was received</translation>
    </message>
    <message>
        <source>无法保存的原因</source>
        <translation>Why it could not be stored</translation>
    </message>
    <message>
        <source>从服务器下载的这些记录本机无法保存，已原样保留并报告给服务器，其余数据照常同步。请联系管理员在服务器上修正这些记录。</source>
        <translation>These records downloaded from the server could not be stored on this laptop. They are kept as received and reported to the server; everything else syncs as usual. Ask an administrator to correct them on the server.</translation>
    </message>
    <message>
        <source>无法保存的下载</source>
        <translation>Downloads not stored</translation>
    </message>
    <message>
        <source>本机已绑定：用户 %1，设备 %2</source>
        <translation>This computer is bound: user %1, device %2</translation>
    </message>
    <message>
        <source>尚未登录服务器。登录一次后，本机即可离线工作并在有网络时同步。</source>
        <translation>Not signed in to the server yet. After signing in once, this computer works offline and syncs when a network is available.</translation>
    </message>
    <message>
        <source>待上传修改：%1 项</source>
        <translation>Changes to upload: %1</translation>
    </message>
    <message>
        <source>上次成功同步：%1</source>
        <translation>Last successful sync: %1</translation>
    </message>
    <message>
        <source>从未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>上次同步成功：上传 %1 项，下载 %2 条记录，冲突 %3，拒收 %4，用时 %5 秒</source>
        <translation>Last sync succeeded: sent %1, received %2, conflicts %3, rejected %4, took %5 s</translation>
    </message>
    <message>
        <source>上次同步失败（%1）：%2。</source>
        <translation>Last sync failed (%1): %2.</translation>
    </message>
    <message>
        <source>上次同步失败（%1）：%2。%3</source>
        <translation>Last sync failed (%1): %2. %3</translation>
    </message>
    <message>
        <source>无法保存的下载（%1）</source>
        <translation>Downloads not stored (%1)</translation>
    </message>
    <message>
        <source>数值超出本机能保存的范围</source>
        <translation>A number is too large for this laptop to store</translation>
    </message>
    <message>
        <source>引用的记录在本机不存在，或与已有记录冲突</source>
        <translation>A record it refers to is missing here, or it clashes with a stored record</translation>
    </message>
    <message>
        <source>值的格式不对</source>
        <translation>A value has the wrong format</translation>
    </message>
    <message>
        <source>值的类型不对</source>
        <translation>A value has the wrong type</translation>
    </message>
    <message>
        <source>缺少必需的字段</source>
        <translation>A required field is missing</translation>
    </message>
    <message>
        <source>无法保存</source>
        <translation>Could not be stored</translation>
    </message>
    <message>
        <source>同步失败</source>
        <translation>Sync failed</translation>
    </message>
    <message>
        <source>原因不能为空。请填写放弃这些修改的原因：</source>
        <translation>A reason is required. Why are these changes discarded?</translation>
    </message>
    <message>
        <source>冲突（%1）</source>
        <translation>Conflicts (%1)</translation>
    </message>
    <message>
        <source>记录编号</source>
        <translation>Record id</translation>
    </message>
    <message>
        <source>被拒收的修改（%1）</source>
        <translation>Rejected changes (%1)</translation>
    </message>
    <message>
        <source>保留</source>
        <translation>Keep</translation>
    </message>
    <message>
        <source>并入上一条</source>
        <translation>Merge into the one above</translation>
    </message>
    <message>
        <source>重复登记（%1）</source>
        <translation>Duplicates (%1)</translation>
    </message>
    <message>
        <source>合并重复登记</source>
        <translation>Merge duplicates</translation>
    </message>
    <message>
        <source>将 %1 组重复登记各合并为一条（保留最早的登记）。确定吗？</source>
        <translation>Merge %1 group(s) of duplicates, each into one record (keeping the earliest registration)?</translation>
    </message>
    <message>
        <source>请填写服务器地址、用户名和密码</source>
        <translation>Enter the server address, username and password</translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>登录失败：%1</source>
        <translation>Sign-in failed: %1</translation>
    </message>
    <message>
        <source>请先登录服务器</source>
        <translation>Sign in to the server first</translation>
    </message>
    <message>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>同步完成</source>
        <translation>Sync complete</translation>
    </message>
    <message>
        <source>放弃选中的 %1 项修改后将以服务器上的数据为准，无法恢复。请填写放弃的原因（记录在案）：</source>
        <translation>Discarding the %1 selected changes keeps the server&apos;s data; this cannot be undone. Please give a reason (it is recorded):</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
</context>
<context>
    <name>TextQuestion</name>
    <message>
        <source>整数</source>
        <translation>Whole number</translation>
    </message>
    <message>
        <source>数字</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>如 2020-01-05 或 2020/1/5</source>
        <translation>e.g. 2020-01-05 or 2020/1/5</translation>
    </message>
</context>
<context>
    <name>ThumbnailStrip</name>
    <message>
        <source>未下载</source>
        <translation>Not downloaded</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>点击放大查看</source>
        <translation>Click to enlarge</translation>
    </message>
</context>
<context>
    <name>TodoTab</name>
    <message>
        <source>今年未访视</source>
        <translation>Not visited this year</translation>
    </message>
    <message>
        <source>一、二级</source>
        <translation>Level 1–2</translation>
    </message>
    <message>
        <source>C/D 级危房</source>
        <translation>Dangerous house C/D</translation>
    </message>
    <message>
        <source>有需求预警</source>
        <translation>With need alerts</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>危房等级</source>
        <translation>Dangerous house grade</translation>
    </message>
    <message>
        <source>上次访视</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>双击打开户档，在户档页点击“开始访视”。</source>
        <translation>Double-click to open the registry record, then click “Start visit”.</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>从未</source>
        <translation>Never</translation>
    </message>
    <message>
        <source>共 %1 人</source>
        <translation>Total: %1</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>元</source>
        <translation>yuan</translation>
    </message>
    <message>
        <source>岁</source>
        <translation>years</translation>
    </message>
    <message>
        <source>个</source>
        <translation>pcs</translation>
    </message>
    <message>
        <source>具</source>
        <translation>pcs</translation>
    </message>
    <message>
        <source>副</source>
        <translation>pairs</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>unit</translation>
    </message>
    <message>
        <source>台</source>
        <translation>units</translation>
    </message>
    <message>
        <source>块</source>
        <translation>pcs</translation>
    </message>
    <message>
        <source>处</source>
        <translation>places</translation>
    </message>
    <message>
        <source>套</source>
        <translation>sets</translation>
    </message>
    <message>
        <source>平方米</source>
        <translation>m²</translation>
    </message>
    <message>
        <source>张</source>
        <translation>pcs</translation>
    </message>
    <message>
        <source>把</source>
        <translation>pcs</translation>
    </message>
    <message>
        <source>根</source>
        <translation>pcs</translation>
    </message>
    <message>
        <source>樘</source>
        <translation>frames</translation>
    </message>
    <message>
        <source>盏</source>
        <translation>lamps</translation>
    </message>
    <message>
        <source>米</source>
        <translation>m</translation>
    </message>
    <message>
        <source>辆</source>
        <translation>units</translation>
    </message>
    <message>
        <source>间</source>
        <translation>rooms</translation>
    </message>
    <message>
        <source>项</source>
        <translation>items</translation>
    </message>
</context>
<context>
    <name>UserLabel</name>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>ValidatingDialog</name>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已修改的内容还没有保存。放弃这些修改吗？</source>
        <translation>Your changes are not saved. Discard them?</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>继续编辑</source>
        <translation>Keep editing</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>验证验收单</source>
        <translation>Verify acceptance certificate</translation>
    </message>
    <message>
        <source>如 QZ07-2026-000123</source>
        <translation>e.g. QZ07-2026-000123</translation>
    </message>
    <message>
        <source>12 位校验码，如 ABCD-EFGH-JKMN</source>
        <translation>12 characters, e.g. ABCD-EFGH-JKMN</translation>
    </message>
    <message>
        <source>验证</source>
        <translation>Verify</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>验收单编号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <source>校验码</source>
        <translation>Verification code</translation>
    </message>
    <message>
        <source>本机核对</source>
        <translation>Local check</translation>
    </message>
    <message>
        <source>服务器核对</source>
        <translation>Server check</translation>
    </message>
    <message>
        <source>未配置服务器，仅作本机核对</source>
        <translation>No server configured; checked locally only</translation>
    </message>
    <message>
        <source>真实</source>
        <translation>Genuine</translation>
    </message>
    <message>
        <source>查无此单</source>
        <translation>No such certificate</translation>
    </message>
    <message>
        <source>可能被篡改</source>
        <translation>Possibly altered</translation>
    </message>
    <message>
        <source>无法核对</source>
        <translation>Cannot check</translation>
    </message>
    <message>
        <source>请填写验收单编号和校验码</source>
        <translation>Enter the certificate number and verification code</translation>
    </message>
    <message>
        <source>核对中…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>VisitWindow</name>
    <message>
        <source>保存失败：</source>
        <translation>Save failed: </translation>
    </message>
    <message>
        <source>表单 / 页面</source>
        <translation>Form / page</translation>
    </message>
    <message>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>待填必填项与错误（点击跳转）</source>
        <translation>Required fields and errors (click to go there)</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>完成访视</source>
        <translation>Complete visit</translation>
    </message>
    <message>
        <source>重新打开…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <source>放弃访视…</source>
        <translation>Discard visit…</translation>
    </message>
    <message>
        <source>放弃这次未完成的访视（须填写原因，记录在案）</source>
        <translation>Discard this unfinished visit (a reason is required and recorded)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>入户访视 - %1</source>
        <translation>Home visit - %1</translation>
    </message>
    <message>
        <source>已完成，只读</source>
        <translation>Completed, read-only</translation>
    </message>
    <message>
        <source>每项答案输入后即自动保存</source>
        <translation>Each answer is saved as soon as it is entered</translation>
    </message>
    <message>
        <source>（未指定人员）</source>
        <translation>(no person selected)</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已重新打开，原因：</source>
        <translation>Reopened, reason: </translation>
    </message>
    <message>
        <source>待填 %1</source>
        <translation>%1 to fill</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>访视已完成。</source>
        <translation>The visit is complete.</translation>
    </message>
    <message>
        <source>还有 %1 项未填或有误（%2），请补全后再完成访视</source>
        <translation>%1 item(s) are missing or wrong (%2); complete them, then finish the visit</translation>
    </message>
    <message>
        <source>重新打开访视</source>
        <translation>Reopen visit</translation>
    </message>
    <message>
        <source>请填写重新打开的原因（将记录在审计日志中）：</source>
        <translation>Reason for reopening (recorded in the audit log):</translation>
    </message>
    <message>
        <source>请填写放弃这次访视的原因（将记录在案，不能为空）：</source>
        <translation>Why is this visit discarded? (recorded; required)</translation>
    </message>
    <message>
        <source>放弃访视</source>
        <translation>Discard visit</translation>
    </message>
    <message>
        <source>原因不能为空。请填写放弃这次访视的原因：</source>
        <translation>A reason is required. Why is this visit discarded?</translation>
    </message>
</context>
<context>
    <name>VisitsFeature</name>
    <message>
        <source>您有 %1 个未完成的访视，请到“访视 → 未完成”继续填写。</source>
        <translation>Unfinished visits: %1. Continue them under “Visits → Unfinished”.</translation>
    </message>
    <message>
        <source>开始访视</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <source>请先在家庭成员中选择访视对象。</source>
        <translation>First select the person to visit among the household members.</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>还有 %1 个访视窗口开着。已填写的内容都已保存，关闭这些窗口并退出吗？</source>
        <translation>%1 visit windows are still open. Everything entered is saved. Close them and quit?</translation>
    </message>
    <message>
        <source>访视</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>标记已处理</source>
        <translation>Mark as handled</translation>
    </message>
</context>
<context>
    <name>VisitsScreen</name>
    <message>
        <source>待办访视</source>
        <translation>To visit</translation>
    </message>
    <message>
        <source>未完成</source>
        <translation>Unfinished</translation>
    </message>
    <message>
        <source>需求预警</source>
        <translation>Need alerts</translation>
    </message>
    <message>
        <source>查看并继续</source>
        <translation>View and continue</translation>
    </message>
    <message>
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>您有 %1 个未完成的访视，可继续填写。</source>
        <translation>Unfinished visits: %1. You can continue them.</translation>
    </message>
</context>
<context>
    <name>YesNoQuestion</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
</TS>
