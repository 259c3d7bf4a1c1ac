<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Service point</source>
        <translation>点位</translation>
    </message>
    <message>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>已过</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>指派给</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Joined</source>
        <translation>已入会</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主会场</translation>
    </message>
    <message>
        <source>Participant</source>
        <translation>参会方</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>no date set</source>
        <translation>未定期限</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>督查人</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Rectify by</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>backlog (right axis)</source>
        <translation>积案（右轴）</translation>
    </message>
    <message>
        <source>no figures</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>%1 %2 %3: %4 received, usually %5 (z %6)</source>
        <translation>%1 %2 %3：受理 %4 件，通常 %5 件（z %6）</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>A note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>A snapshot (F9) or a note</source>
        <translation>截图（F9）或备注</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>A snapshot of the live picture as evidence, named in this item&apos;s answer</source>
        <translation>截取实时画面作为证据，并记入本项结果</translation>
    </message>
    <message>
        <source>inspections</source>
        <translation>督查次数</translation>
    </message>
    <message>
        <source>items checked</source>
        <translation>检查项数</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>合格项数</translation>
    </message>
    <message>
        <source>pass rate</source>
        <translation>合格率</translation>
    </message>
    <message>
        <source>by county</source>
        <translation>按区县</translation>
    </message>
    <message>
        <source>county</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>by item</source>
        <translation>按检查项目</translation>
    </message>
    <message>
        <source>item</source>
        <translation>检查项目</translation>
    </message>
    <message>
        <source>by inspector</source>
        <translation>按督查人</translation>
    </message>
    <message>
        <source>inspector</source>
        <translation>督查人</translation>
    </message>
    <message>
        <source>findings</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>service point</source>
        <translation>服务点</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>items failed</source>
        <translation>不合格项目</translation>
    </message>
    <message>
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>rectification required</source>
        <translation>整改要求</translation>
    </message>
    <message>
        <source>rectify by</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Inspections %1 to %2</source>
        <translation>督查汇总 %1 至 %2</translation>
    </message>
    <message>
        <source>Counting the inspections</source>
        <translation>统计督查记录</translation>
    </message>
    <message>
        <source>Table %1</source>
        <translation>表格 %1</translation>
    </message>
    <message>
        <source>Workbook %1</source>
        <translation>工作簿 %1</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Justice Bureau Command Center</source>
        <translation>司法行政指挥中心</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>commandcenter is free software under the %1 licence.</source>
        <translation>commandcenter 是以 %1 许可证发布的自由软件。</translation>
    </message>
    <message>
        <source>Licence text…</source>
        <translation>许可证全文…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Data center in use:</source>
        <translation>当前数据中心：</translation>
    </message>
    <message>
        <source>Store in use:</source>
        <translation>当前存储：</translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation>日志文件：</translation>
    </message>
    <message>
        <source>Built on, with thanks:</source>
        <translation>本软件使用了以下开源组件与数据，谨致谢意：</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Used for</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Diagnostics…</source>
        <translation>诊断信息…</translation>
    </message>
    <message>
        <source>Versions, folders, data center, store, screens and graphics, for support</source>
        <translation>版本、目录、数据中心、存储、屏幕与图形信息，供技术支持使用</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>embedded simulated data center %1</source>
        <translation>内置模拟数据中心 %1</translation>
    </message>
    <message>
        <source>Gathering the diagnostics</source>
        <translation>正在收集诊断信息</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>诊断信息</translation>
    </message>
    <message>
        <source>The diagnostics could not be gathered</source>
        <translation>无法收集诊断信息</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>Acknowledge alert</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <source>Assign alert</source>
        <translation>指派告警</translation>
    </message>
    <message>
        <source>Comment on alert</source>
        <translation>告警备注</translation>
    </message>
    <message>
        <source>Close alert</source>
        <translation>关闭告警</translation>
    </message>
    <message>
        <source>Launch meeting</source>
        <translation>发起会议</translation>
    </message>
    <message>
        <source>End meeting</source>
        <translation>结束会议</translation>
    </message>
    <message>
        <source>Change meeting participants</source>
        <translation>调整会议参会方</translation>
    </message>
    <message>
        <source>Save participant group</source>
        <translation>保存参会分组</translation>
    </message>
    <message>
        <source>Delete participant group</source>
        <translation>删除参会分组</translation>
    </message>
    <message>
        <source>Switch role</source>
        <translation>切换角色</translation>
    </message>
    <message>
        <source>Submit inspection</source>
        <translation>提交督查</translation>
    </message>
    <message>
        <source>Move camera</source>
        <translation>云台控制</translation>
    </message>
    <message>
        <source>Mute alert sound</source>
        <translation>告警静音</translation>
    </message>
    <message>
        <source>Alert sound on again</source>
        <translation>恢复告警声音</translation>
    </message>
    <message>
        <source>Close rectification</source>
        <translation>整改销号</translation>
    </message>
    <message>
        <source>Inspection evidence snapshot</source>
        <translation>督查取证抓拍</translation>
    </message>
    <message>
        <source>Save inspection plan</source>
        <translation>保存督查计划</translation>
    </message>
    <message>
        <source>Inspection report (PDF)</source>
        <translation>导出督查报告</translation>
    </message>
    <message>
        <source>Inspection summary</source>
        <translation>导出阶段汇总</translation>
    </message>
    <message>
        <source>Start roll-call</source>
        <translation>开始视频点验</translation>
    </message>
    <message>
        <source>Finish roll-call</source>
        <translation>完成视频点验</translation>
    </message>
    <message>
        <source>Cameras onto the wall</source>
        <translation>视频上墙</translation>
    </message>
    <message>
        <source>Start wall tour</source>
        <translation>开始轮巡</translation>
    </message>
    <message>
        <source>Stop wall tour</source>
        <translation>停止轮巡</translation>
    </message>
    <message>
        <source>Camera snapshot</source>
        <translation>视频抓拍</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>导出统计数据</translation>
    </message>
    <message>
        <source>Daily report</source>
        <translation>生成日报</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>切换界面语言</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation>登录被拒绝</translation>
    </message>
    <message>
        <source>Account locked out</source>
        <translation>账户已锁定</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Shift change</source>
        <translation>交接班</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <source>Unlock screen</source>
        <translation>解锁屏幕</translation>
    </message>
    <message>
        <source>Add local account</source>
        <translation>添加本地账户</translation>
    </message>
    <message>
        <source>Change account password</source>
        <translation>修改账户密码</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>停用账户</translation>
    </message>
    <message>
        <source>Enable account</source>
        <translation>启用账户</translation>
    </message>
    <message>
        <source>Unlock account</source>
        <translation>解锁账户</translation>
    </message>
    <message>
        <source>Duty log entry</source>
        <translation>值班日志记录</translation>
    </message>
    <message>
        <source>Correct duty log entry</source>
        <translation>更正值班日志</translation>
    </message>
    <message>
        <source>Hand over the shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Accept the shift handover</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>Object to the shift handover</source>
        <translation>接班（有异议）</translation>
    </message>
    <message>
        <source>Export duty log</source>
        <translation>导出值班日志</translation>
    </message>
    <message>
        <source>Handover record (PDF)</source>
        <translation>导出交接班记录</translation>
    </message>
    <message>
        <source>Enter a local duty shift</source>
        <translation>录入本地值班班次</translation>
    </message>
    <message>
        <source>Remove a local duty shift</source>
        <translation>删除本地值班班次</translation>
    </message>
</context>
<context>
    <name>AlertAnnouncer</name>
    <message>
        <source>sound off in the configuration</source>
        <translation>配置中已关闭声音</translation>
    </message>
    <message>
        <source>muted until %1</source>
        <translation>静音至 %1</translation>
    </message>
    <message>
        <source>no audio output: alerts are shown only</source>
        <translation>无音频输出设备：告警仅以画面提示</translation>
    </message>
</context>
<context>
    <name>AlertBanner</name>
    <message>
        <source>Acknowledge…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Mute the sound for %1 minutes</source>
        <translation>静音 %1 分钟</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>恢复声音</translation>
    </message>
    <message>
        <source>No urgent alert waiting for acknowledgement</source>
        <translation>无待确认的紧急告警</translation>
    </message>
    <message>
        <source> · %1 more not acknowledged</source>
        <translation> · 另有 %1 条未确认</translation>
    </message>
</context>
<context>
    <name>AlertDetail</name>
    <message>
        <source>Acknowledge…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>指派…</translation>
    </message>
    <message>
        <source>Comment…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>关闭…</translation>
    </message>
    <message>
        <source>On the map</source>
        <translation>在地图上</translation>
    </message>
    <message>
        <source>Cameras to wall</source>
        <translation>摄像机上墙</translation>
    </message>
    <message>
        <source>Acknowledge with a note (Ctrl+K); sent to the data center</source>
        <translation>填写备注并确认（Ctrl+K），发送至数据中心</translation>
    </message>
    <message>
        <source>Assign the alert to someone to handle (Ctrl+Shift+A)</source>
        <translation>指派专人处置该告警（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>Add a comment to the alert&apos;s timeline (Ctrl+Shift+M)</source>
        <translation>在告警时间线上添加备注（Ctrl+Shift+M）</translation>
    </message>
    <message>
        <source>Close the alert with a note; a new alert is acknowledged too</source>
        <translation>填写处置结果并关闭告警；未确认的告警同时确认</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>occurred</source>
        <translation>发生</translation>
    </message>
    <message>
        <source>arrived at the command center</source>
        <translation>到达指挥中心</translation>
    </message>
    <message>
        <source>acknowledged at the data center</source>
        <translation>在数据中心确认</translation>
    </message>
    <message>
        <source>closed by the data center</source>
        <translation>数据中心已关闭</translation>
    </message>
    <message>
        <source>reopened by the data center</source>
        <translation>数据中心重新打开</translation>
    </message>
    <message>
        <source>seen</source>
        <translation>已查看</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>已指派</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>acknowledgement refused</source>
        <translation>确认被拒绝</translation>
    </message>
    <message>
        <source>Select an alert to see its timeline and handle it.</source>
        <translation>选择一条告警，查看其时间线并处置。</translation>
    </message>
    <message>
        <source>%1 · occurred %2 · %3</source>
        <translation>%1 · 发生于 %2 · %3</translation>
    </message>
    <message>
        <source>no service point</source>
        <translation>无服务点</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>已指派给 %1</translation>
    </message>
    <message>
        <source>reported by the data center</source>
        <translation>由数据中心报告</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Open</source>
        <translation>未关闭</translation>
    </message>
    <message>
        <source>New</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Assigned to me</source>
        <translation>指派给我的</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <source>Normal and above</source>
        <translation>一般及以上</translation>
    </message>
    <message>
        <source>Urgent and above</source>
        <translation>紧急及以上</translation>
    </message>
    <message>
        <source>Critical only</source>
        <translation>仅特急</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert with a note (Ctrl+K)</source>
        <translation>填写备注并确认选中的告警（Ctrl+K）</translation>
    </message>
    <message>
        <source>%1 shown · urgent, not acknowledged: %2</source>
        <translation>显示 %1 条 · 未确认紧急告警 %2 条</translation>
    </message>
    <message>
        <source>Acknowledge alert</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <source>Note for %1:</source>
        <translation>“%1”的确认备注：</translation>
    </message>
    <message>
        <source>Acknowledging the alert</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <source>Assign alert</source>
        <translation>指派告警</translation>
    </message>
    <message>
        <source>Assign %1 to:</source>
        <translation>将“%1”指派给：</translation>
    </message>
    <message>
        <source>Assigning the alert</source>
        <translation>指派告警</translation>
    </message>
    <message>
        <source>Comment on alert</source>
        <translation>告警备注</translation>
    </message>
    <message>
        <source>Comment on %1:</source>
        <translation>对“%1”的备注：</translation>
    </message>
    <message>
        <source>Commenting on the alert</source>
        <translation>添加告警备注</translation>
    </message>
    <message>
        <source>Close alert</source>
        <translation>关闭告警</translation>
    </message>
    <message>
        <source>How was %1 resolved?</source>
        <translation>“%1”是如何处置的？</translation>
    </message>
    <message>
        <source>Say how the alert was resolved to close it.</source>
        <translation>请填写处置结果后再关闭告警。</translation>
    </message>
    <message>
        <source>Closing the alert</source>
        <translation>关闭告警</translation>
    </message>
</context>
<context>
    <name>AuditPanel</name>
    <message>
        <source>Search user, action, target…</source>
        <translation>搜索用户、操作、对象…</translation>
    </message>
    <message>
        <source>Entries: %1</source>
        <translation>%1 条记录</translation>
    </message>
    <message>
        <source>a county desk sees its own entries only</source>
        <translation>县区席位仅显示本人操作记录</translation>
    </message>
</context>
<context>
    <name>CommandLane</name>
    <message>
        <source>%1 failed, nothing of it was kept: %2</source>
        <translation>%1失败，未保存任何内容：%2</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Correct a duty-log entry</source>
        <translation>更正值班日志</translation>
    </message>
    <message>
        <source>Entry %1, %2, %3:</source>
        <translation>第 %1 条，%2，%3：</translation>
    </message>
    <message>
        <source>The corrected text (the entry itself is kept):</source>
        <translation>更正后的内容（原记录保留不变）：</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>程序出现意外错误</translation>
    </message>
    <message>
        <source>The command center client ran into an unexpected error.</source>
        <translation>指挥中心客户端遇到了一个意外错误。</translation>
    </message>
    <message>
        <source>The client is still running, but what you just did may not have been completed. If it happens again, restart the client and send the error report to support.</source>
        <translation>客户端仍在运行，但刚才的操作可能没有完成。如果再次出现，请重新启动客户端，并将错误报告发送给技术支持。</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
    <message>
        <source>No log file is written (see the terminal).</source>
        <translation>未写入日志文件（请查看终端输出）。</translation>
    </message>
    <message>
        <source>The report holds no keys or passwords.</source>
        <translation>报告中不含密钥和密码。</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Quit the client</source>
        <translation>退出客户端</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续使用</translation>
    </message>
    <message>
        <source>What happened: %1
Where: %2, thread %3</source>
        <translation>发生了什么：%1
出错位置：%2，线程 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n more error(s) since, each written to the log.</source>
        <translation>
            <numerusform>此后又发生了 %n 个错误，均已记入日志。</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>CustomRangeDialog</name>
    <message>
        <source>Custom range</source>
        <translation>自定义时段</translation>
    </message>
    <message>
        <source>From</source>
        <translation>自</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>至</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>结束时间须晚于开始时间。</translation>
    </message>
    <message>
        <source>At most %1 days at a time.</source>
        <translation>一次最多 %1 天。</translation>
    </message>
</context>
<context>
    <name>DailyReport</name>
    <message>
        <source>Checking the file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>Reading today&apos;s figures</source>
        <translation>读取今日数据</translation>
    </message>
    <message>
        <source>Drawing the charts</source>
        <translation>绘制图表</translation>
    </message>
    <message>
        <source>Laying out the pages</source>
        <translation>排版</translation>
    </message>
    <message>
        <source>Writing the PDF</source>
        <translation>写入 PDF</translation>
    </message>
</context>
<context>
    <name>DeskSession</name>
    <message>
        <source>Auditing the lock</source>
        <translation>正在记录锁定</translation>
    </message>
    <message>
        <source>the whole city</source>
        <translation>全市</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>(demo, signed in by itself)</source>
        <translation>（演示，自动登录）</translation>
    </message>
    <message>
        <source>Signed in by itself: the embedded simulated data center, and no directory or local accounts. Add accounts with `commandcenter users add`.</source>
        <translation>自动登录：使用内嵌模拟数据中心，且未配置目录服务或本地账户。可用 `commandcenter users add` 添加账户。</translation>
    </message>
</context>
<context>
    <name>DirectoryPanel</name>
    <message>
        <source>Search name, address, ID, phone…</source>
        <translation>搜索名称、地址、编号、电话…</translation>
    </message>
    <message>
        <source>All counties</source>
        <translation>全部区县</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部层级</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>%1 of %2 points</source>
        <translation>%1 / %2 个点位</translation>
    </message>
</context>
<context>
    <name>DutyLogPanel</name>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>All shifts</source>
        <translation>全部班次</translation>
    </message>
    <message>
        <source>Day shift</source>
        <translation>白班</translation>
    </message>
    <message>
        <source>Night shift</source>
        <translation>夜班</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>What happened on duty…</source>
        <translation>值班情况…</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Hand over the shift…</source>
        <translation>交班…</translation>
    </message>
    <message>
        <source>Export duty log PDF…</source>
        <translation>导出 PDF 值班日志…</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>更正</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>数据接口</translation>
    </message>
    <message>
        <source>Handover</source>
        <translation>交接班</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source> (corrected)</source>
        <translation>（已更正）</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 条记录</translation>
    </message>
    <message>
        <source>Write what happened first.</source>
        <translation>请先填写值班情况。</translation>
    </message>
    <message>
        <source>Writing the duty log</source>
        <translation>正在写入值班日志</translation>
    </message>
    <message>
        <source>Correcting the duty log</source>
        <translation>正在更正值班日志</translation>
    </message>
    <message>
        <source>Save the duty log</source>
        <translation>保存值班日志</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The duty log was not written</source>
        <translation>值班日志未能导出</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Written to %1</source>
        <translation>已保存到 %1</translation>
    </message>
</context>
<context>
    <name>DutyReport</name>
    <message>
        <source>Checking the file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>Reading the duty log</source>
        <translation>读取值班日志</translation>
    </message>
    <message>
        <source>Writing the PDF</source>
        <translation>写入 PDF</translation>
    </message>
    <message>
        <source>Writing the workbook</source>
        <translation>写入工作簿</translation>
    </message>
</context>
<context>
    <name>FeedHealthPanel</name>
    <message>
        <source>Feed</source>
        <translation>数据源</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Data age</source>
        <translation>数据年龄</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>轮询间隔</translation>
    </message>
    <message>
        <source>Failures in a row</source>
        <translation>连续失败</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>not modified</source>
        <translation>未变化</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>(no id)</source>
        <translation>（无编号）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最近出现</translation>
    </message>
    <message>
        <source>Feeds</source>
        <translation>各数据源</translation>
    </message>
    <message>
        <source>Recent polls</source>
        <translation>最近轮询</translation>
    </message>
    <message>
        <source>Quarantined records (break the interface contract)</source>
        <translation>隔离的记录（违反接口约定）</translation>
    </message>
</context>
<context>
    <name>FeedLamp</name>
    <message>
        <source>%1: %2, data %3</source>
        <translation>%1：%2，数据 %3</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>最近错误：%1</translation>
    </message>
    <message>
        <source>⚠ Unencrypted (http://)</source>
        <translation>⚠ 未加密连接（http://）</translation>
    </message>
    <message>
        <source>The data center is reached over plain http://: what it sends (names, alerts, camera addresses) crosses the network unencrypted and can be changed on the way. Ask for its https:// address.</source>
        <translation>数据中心经明文 http:// 访问：其发送的内容（名称、告警、视频地址）以未加密方式经过网络，途中可被篡改。请向数据中心索取 https:// 地址。</translation>
    </message>
    <message>
        <source>⚠ Certificate not checked</source>
        <translation>⚠ 未校验证书</translation>
    </message>
    <message>
        <source>The data center&apos;s TLS certificate is not checked (verify_tls = false): anyone on the network between can pose as it. Set [datacenter] ca_bundle to the intranet&apos;s CA instead.</source>
        <translation>未校验数据中心的 TLS 证书（verify_tls = false）：网络中间的任何人都可冒充数据中心。请改为将 [datacenter] ca_bundle 设为内网 CA 证书。</translation>
    </message>
</context>
<context>
    <name>FirstSyncCard</name>
    <message>
        <source>First sync: reading everything from the data center</source>
        <translation>首次同步：正在从数据中心读取全部数据</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Data center: %1</source>
        <translation>数据中心：%1</translation>
    </message>
    <message>
        <source>The local store is empty, so the panels fill in as the feeds come in. The console can be used meanwhile; alerts are shown as soon as they arrive.</source>
        <translation>本地存储为空，各面板将随数据源陆续到达而填充。期间可以正常使用控制台，告警一到即显示。</translation>
    </message>
    <message>
        <source>Starting the collector…</source>
        <translation>正在启动数据采集进程…</translation>
    </message>
    <message>
        <source>%1 of %2 feeds in</source>
        <translation>已完成 %1 / %2 个数据源</translation>
    </message>
    <message>
        <source>%1 records stored (%2)</source>
        <translation>已存储 %1 条记录（%2）</translation>
    </message>
    <message>
        <source>%1 records stored</source>
        <translation>已存储 %1 条记录</translation>
    </message>
    <message>
        <source>First sync complete</source>
        <translation>首次同步完成</translation>
    </message>
    <message>
        <source>✓ %1 records</source>
        <translation>✓ %1 条</translation>
    </message>
    <message>
        <source>✓ in</source>
        <translation>✓ 已完成</translation>
    </message>
    <message>
        <source> (%1 tries)</source>
        <translation>（已尝试 %1 次）</translation>
    </message>
    <message>
        <source>✗ failing, tried again: %1</source>
        <translation>✗ 失败，将重试：%1</translation>
    </message>
    <message>
        <source>… reading</source>
        <translation>… 读取中</translation>
    </message>
</context>
<context>
    <name>Handover</name>
    <message>
        <source>Save the handover record</source>
        <translation>保存交接班记录</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the handover record</source>
        <translation>正在生成交接班记录</translation>
    </message>
    <message>
        <source>The handover record was not written</source>
        <translation>交接班记录未能生成</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Hand over the shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Outgoing: %1 · %2</source>
        <translation>交班人：%1 · %2</translation>
    </message>
    <message>
        <source>Gathering what is open…</source>
        <translation>正在汇总待办事项…</translation>
    </message>
    <message>
        <source>Notes for the incoming officer:</source>
        <translation>交班说明：</translation>
    </message>
    <message>
        <source>Handover record PDF…</source>
        <translation>导出交接班记录 PDF…</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 open matters in this desk&apos;s scope</source>
        <translation>本席位范围内待办事项 %1 项</translation>
    </message>
    <message>
        <source>Could not read the local store: %1</source>
        <translation>无法读取本地数据库：%1</translation>
    </message>
    <message>
        <source>Handed over (record %1): waiting for the incoming officer</source>
        <translation>已交班（交接单 %1），等待接班</translation>
    </message>
    <message>
        <source>Handing over the shift</source>
        <translation>交班</translation>
    </message>
</context>
<context>
    <name>HandoverReview</name>
    <message>
        <source>Take over the shift</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>Notes of the outgoing officer:</source>
        <translation>交班说明：</translation>
    </message>
    <message>
        <source>Objections (to take over with objections):</source>
        <translation>异议（有异议时填写）：</translation>
    </message>
    <message>
        <source>Handover record PDF…</source>
        <translation>导出交接班记录 PDF…</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>Object…</source>
        <translation>有异议</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Handed over by %1 at %2 (record %3, shift of %4)</source>
        <translation>交班人 %1，交班时间 %2（交接单 %3，%4 班次）</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接班</translation>
    </message>
    <message>
        <source>objected</source>
        <translation>有异议</translation>
    </message>
    <message>
        <source>Answered: %1 by %2</source>
        <translation>接班情况：%1（%2）</translation>
    </message>
    <message>
        <source>Your answer is kept in the duty log.</source>
        <translation>接班情况已记入值班日志。</translation>
    </message>
    <message>
        <source>Taking over the shift</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>Write your objections first.</source>
        <translation>请先填写异议。</translation>
    </message>
    <message>
        <source>Objecting to the handover</source>
        <translation>提出接班异议</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Press any key to close</source>
        <translation>按任意键关闭</translation>
    </message>
</context>
<context>
    <name>InspectionReport</name>
    <message>
        <source>Checking the file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>Reading the inspection and its snapshots</source>
        <translation>读取督查记录及截图</translation>
    </message>
    <message>
        <source>Writing the PDF</source>
        <translation>写入 PDF</translation>
    </message>
</context>
<context>
    <name>InspectionView</name>
    <message>
        <source>Findings: what was found, what must change</source>
        <translation>发现问题：看到了什么，需要整改什么</translation>
    </message>
    <message>
        <source>Rectify by</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Evidence: Delete removes the selected snapshot</source>
        <translation>现场截图：按 Delete 删除选中的截图</translation>
    </message>
    <message>
        <source>Snapshot (F9)</source>
        <translation>截图取证（F9）</translation>
    </message>
    <message>
        <source>◀ Previous point (Alt+←)</source>
        <translation>◀ 上一点位（Alt+←）</translation>
    </message>
    <message>
        <source>Next point (Alt+→) ▶</source>
        <translation>下一点位（Alt+→）▶</translation>
    </message>
    <message>
        <source>Finish and submit (Ctrl+Enter)</source>
        <translation>完成并提交（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>现场截图</translation>
    </message>
    <message>
        <source>No inspection open. Choose a plan above or make one (New plan…), or open a service point&apos;s card on the map and choose “Start an inspection”.

The whole inspection works from the keyboard: Tab through the checklist, P / F for pass / fail, F9 for a snapshot, Alt+→ for the next point, Ctrl+Enter to finish.</source>
        <translation>尚未打开督查。请在上方选择或新建计划（新建计划…），或在地图上打开服务点位卡片并选择“发起督查”。

整个督查可全程用键盘完成：Tab 逐项填写，P / F 判定合格 / 不合格，F9 截图取证，Alt+→ 下一点位，Ctrl+Enter 完成提交。</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>电话：%1</translation>
    </message>
    <message>
        <source>Staff on duty: %1 · open hours %2</source>
        <translation>在岗人员：%1 · 服务时间 %2</translation>
    </message>
    <message>
        <source>Open alerts: %1</source>
        <translation>未结告警：%1</translation>
    </message>
    <message>
        <source>No picture to take: the camera shows nothing yet.</source>
        <translation>无法截图：摄像机尚无画面。</translation>
    </message>
    <message>
        <source>snapshot %1 %2</source>
        <translation>截图 %1 %2</translation>
    </message>
    <message>
        <source>Snapshot kept as evidence</source>
        <translation>截图已作为证据保存</translation>
    </message>
    <message>
        <source>Keeping the snapshot</source>
        <translation>保存截图证据</translation>
    </message>
    <message>
        <source>Removing the snapshot</source>
        <translation>删除截图</translation>
    </message>
    <message>
        <source>Submitting the inspection</source>
        <translation>提交督查</translation>
    </message>
    <message>
        <source>Draft, saved as you type</source>
        <translation>草稿，输入时自动保存</translation>
    </message>
    <message>
        <source>Submitted: waiting for the data center</source>
        <translation>已提交：等待数据中心确认</translation>
    </message>
    <message>
        <source>Recorded by the data center as %1</source>
        <translation>数据中心已登记，编号 %1</translation>
    </message>
    <message>
        <source>Refused by the data center: %1</source>
        <translation>数据中心拒收：%1</translation>
    </message>
</context>
<context>
    <name>ItemsTable</name>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Last note</source>
        <translation>最新说明</translation>
    </message>
    <message>
        <source>Alerts not closed</source>
        <translation>未关闭告警</translation>
    </message>
    <message>
        <source>Rectifications due</source>
        <translation>待整改督查</translation>
    </message>
    <message>
        <source>Meetings scheduled or running</source>
        <translation>已预约或进行中的会议</translation>
    </message>
    <message>
        <source>Feeds not healthy</source>
        <translation>异常数据接口</translation>
    </message>
</context>
<context>
    <name>JobProgressDialog</name>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>%1 (step %2 of %3)</source>
        <translation>%1（第 %2 步，共 %3 步）</translation>
    </message>
    <message>
        <source>Cancelling: stopping after the current step…</source>
        <translation>正在取消：当前步骤完成后停止…</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>This desk is locked</source>
        <translation>本席位已锁定</translation>
    </message>
    <message>
        <source>Sign in to go on. Another person signing in takes over the desk (shift change).</source>
        <translation>请登录以继续。其他人员登录即接管本席位（交接班）。</translation>
    </message>
    <message>
        <source>Locked by %1 at %2</source>
        <translation>%1 于 %2 锁定</translation>
    </message>
</context>
<context>
    <name>LockedCover</name>
    <message>
        <source>This desk is locked</source>
        <translation>本席位已锁定</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Urgent alerts</source>
        <translation>紧急告警</translation>
    </message>
    <message>
        <source>Video wall</source>
        <translation>视频上墙</translation>
    </message>
    <message>
        <source>Situation map</source>
        <translation>态势一张图</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计研判</translation>
    </message>
    <message>
        <source>Remote supervision</source>
        <translation>远程督查</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Video meetings</source>
        <translation>视频会议</translation>
    </message>
    <message>
        <source>Feed health</source>
        <translation>数据源健康</translation>
    </message>
    <message>
        <source>Service-point directory</source>
        <translation>服务点位目录</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>综合概览</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Duty log</source>
        <translation>值班日志</translation>
    </message>
    <message>
        <source>Duty roster</source>
        <translation>值班表</translation>
    </message>
    <message>
        <source>Nobody signed in at this desk: there is no lock.</source>
        <translation>本席位无人登录，无法锁定。</translation>
    </message>
    <message>
        <source>Writing the sign-in into the duty log</source>
        <translation>正在将上岗记入值班日志</translation>
    </message>
    <message>
        <source>No handover is waiting.</source>
        <translation>没有待接收的交班。</translation>
    </message>
    <message>
        <source>embedded simulated data center</source>
        <translation>内置模拟数据中心</translation>
    </message>
    <message>
        <source>no data center</source>
        <translation>无数据中心</translation>
    </message>
    <message>
        <source>Justice Bureau Command Center — %1 — %2</source>
        <translation>司法行政指挥中心 — %1 — %2</translation>
    </message>
    <message>
        <source>%1 may not work as %2.</source>
        <translation>%1 无权以“%2”身份值守。</translation>
    </message>
    <message>
        <source>Switch role</source>
        <translation>切换角色</translation>
    </message>
    <message>
        <source>Switch this workstation from %1 to %2? The panels and actions change with the role.</source>
        <translation>将本工作站从“%1”切换为“%2”？面板和可用操作将随角色变化。</translation>
    </message>
    <message>
        <source>Justice Bureau Command Center</source>
        <translation>司法行政指挥中心</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>Find a service point by name…</source>
        <translation>按名称查找服务点位…</translation>
    </message>
    <message>
        <source>Types</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Counties</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Fly to critical alerts</source>
        <translation>特急告警自动定位</translation>
    </message>
    <message>
        <source>A new severity-1 alert moves the map to its place</source>
        <translation>新的特急告警出现时，地图自动飞到告警位置</translation>
    </message>
    <message>
        <source>No analysis layer</source>
        <translation>无分析图层</translation>
    </message>
    <message>
        <source>Counties by cases received today</source>
        <translation>区县今日受理量</translation>
    </message>
    <message>
        <source>Counties by backlog</source>
        <translation>区县积案量</translation>
    </message>
    <message>
        <source>Counties by points offline</source>
        <translation>区县离线点位数</translation>
    </message>
    <message>
        <source>Heat of open alerts</source>
        <translation>未结告警热力</translation>
    </message>
    <message>
        <source>Heat of cases</source>
        <translation>案件热力</translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation>近 24 小时</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <source>last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <source>Service points</source>
        <translation>服务点位</translation>
    </message>
    <message>
        <source>No service point named %1 on the map</source>
        <translation>地图上没有名为 %1 的服务点位</translation>
    </message>
    <message>
        <source>%1 points · %2 alarm · %3 offline</source>
        <translation>点位 %1 个 · 告警 %2 · 离线 %3</translation>
    </message>
    <message>
        <source>%1 without a known coordinate system</source>
        <translation>%1 个坐标系未知</translation>
    </message>
</context>
<context>
    <name>MeetingsPanel</name>
    <message>
        <source>Whole city</source>
        <translation>全市</translation>
    </message>
    <message>
        <source>Launch meeting</source>
        <translation>发起会议</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>New meeting</source>
        <translation>新建会议</translation>
    </message>
    <message>
        <source>End meeting</source>
        <translation>结束会议</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>会议列表</translation>
    </message>
    <message>
        <source>%1 %2 video meeting</source>
        <translation>%1%2视频会议</translation>
    </message>
    <message>
        <source>Refused by the data center: %1</source>
        <translation>数据中心拒绝：%1</translation>
    </message>
    <message>
        <source>%1 meeting commands waiting to be sent</source>
        <translation>%1 条会议指令待发送</translation>
    </message>
    <message>
        <source>e.g. 吴中区司法所工作调度会</source>
        <translation>例如：吴中区司法所工作调度会</translation>
    </message>
    <message>
        <source>A saved group of participants: replaces the list</source>
        <translation>已保存的参会分组：替换当前名单</translation>
    </message>
    <message>
        <source>Save as group…</source>
        <translation>另存为分组…</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>删除分组</translation>
    </message>
    <message>
        <source>Add all</source>
        <translation>全部加入</translation>
    </message>
    <message>
        <source>Add every point of this kind in this county</source>
        <translation>加入该区县此类的全部服务点</translation>
    </message>
    <message>
        <source>Type a service point&apos;s name, Enter to add</source>
        <translation>输入服务点名称，回车加入</translation>
    </message>
    <message>
        <source>Drag service points here from the directory or the map; Delete removes</source>
        <translation>可从名录或地图拖入服务点；Delete 键移除</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Scheduled for</source>
        <translation>预约时间</translation>
    </message>
    <message>
        <source>Launch now, or at the scheduled time (Ctrl+Enter)</source>
        <translation>立即发起，或按预约时间发起（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Saved group</source>
        <translation>参会分组</translation>
    </message>
    <message>
        <source>By county</source>
        <translation>按区县</translation>
    </message>
    <message>
        <source>By name</source>
        <translation>按名称</translation>
    </message>
    <message>
        <source>Live and scheduled</source>
        <translation>进行中和已预约</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Mix on the wall</source>
        <translation>合成画面上墙</translation>
    </message>
    <message>
        <source>Show the meeting&apos;s mixed picture on wall tile 1</source>
        <translation>在电视墙 1 号窗口显示会议合成画面</translation>
    </message>
    <message>
        <source>Invite the list</source>
        <translation>邀请名单</translation>
    </message>
    <message>
        <source>Invite the composer&apos;s points that are not in the meeting yet</source>
        <translation>邀请名单中尚未入会的服务点</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Remove the selected participants from the meeting</source>
        <translation>将所选参会方移出会议</translation>
    </message>
    <message>
        <source>No service point named %1</source>
        <translation>没有名为“%1”的服务点</translation>
    </message>
    <message>
        <source>%1 chosen: a meeting holds at most %2. Remove %3, or choose one county.</source>
        <translation>已选 %1 个：一次会议最多 %2 个参会方。请移除 %3 个，或只选一个区县。</translation>
    </message>
    <message>
        <source>%1 of at most %2 participants</source>
        <translation>%1 个参会方（最多 %2 个）</translation>
    </message>
    <message>
        <source>%1 points of the group no longer exist and were left out</source>
        <translation>分组中有 %1 个服务点已不存在，未加入</translation>
    </message>
    <message>
        <source>Save group</source>
        <translation>保存分组</translation>
    </message>
    <message>
        <source>Name of the group:</source>
        <translation>分组名称：</translation>
    </message>
    <message>
        <source>Replace the group %1?</source>
        <translation>替换分组“%1”？</translation>
    </message>
    <message>
        <source>Saving the group</source>
        <translation>保存分组</translation>
    </message>
    <message>
        <source>Delete the group %1?</source>
        <translation>删除分组“%1”？</translation>
    </message>
    <message>
        <source>Deleting the group</source>
        <translation>删除分组</translation>
    </message>
    <message>
        <source>— saved groups (%1) —</source>
        <translation>— 参会分组（%1）—</translation>
    </message>
    <message>
        <source>retrying: %1</source>
        <translation>正在重试：%1</translation>
    </message>
    <message>
        <source>The scheduled time has passed; choose a later one or launch now.</source>
        <translation>预约时间已过，请另选时间或立即发起。</translation>
    </message>
    <message>
        <source>Video meeting</source>
        <translation>视频会议</translation>
    </message>
    <message>
        <source>Launching the meeting</source>
        <translation>发起会议</translation>
    </message>
    <message>
        <source>Everyone in the list is already invited</source>
        <translation>名单中的服务点均已邀请</translation>
    </message>
    <message>
        <source>Invite</source>
        <translation>邀请</translation>
    </message>
    <message>
        <source>The meeting has %1 participants and a meeting holds at most %2: inviting %3 more is %4 too many. Remove participants first, or invite fewer.</source>
        <translation>会议已有 %1 个参会方，一次会议最多 %2 个：再邀请 %3 个将超出 %4 个。请先移出部分参会方，或少邀请一些。</translation>
    </message>
    <message>
        <source>Remove participants</source>
        <translation>移出参会方</translation>
    </message>
    <message>
        <source>Remove %1 from “%2”?</source>
        <translation>将 %1 移出“%2”？</translation>
    </message>
    <message>
        <source>Changing the participants</source>
        <translation>调整参会方</translation>
    </message>
    <message>
        <source>Meeting: %1</source>
        <translation>会议：%1</translation>
    </message>
    <message>
        <source>End “%1” for every participant?</source>
        <translation>为所有参会方结束“%1”？</translation>
    </message>
    <message>
        <source>Ending the meeting</source>
        <translation>结束会议</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <source>Waiting for the data center&apos;s dashboard summary…</source>
        <translation>等待数据中心的综合概览…</translation>
    </message>
    <message>
        <source>Service points online</source>
        <translation>服务点位在线</translation>
    </message>
    <message>
        <source>12348 hotline now</source>
        <translation>12348 热线实时</translation>
    </message>
    <message>
        <source>Community correction now</source>
        <translation>社区矫正实时</translation>
    </message>
    <message>
        <source>As of %1 (%2)</source>
        <translation>数据时间 %1（%2）</translation>
    </message>
    <message>
        <source>behind: see feed health</source>
        <translation>数据已滞后，请查看数据源健康</translation>
    </message>
    <message>
        <source>offline %1 · alarm %2 · %3 online</source>
        <translation>离线 %1 · 告警 %2 · 在线率 %3</translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <translation>%1 排队</translation>
    </message>
    <message>
        <source>The data center&apos;s summary covers the whole city; this desk shows %1&apos;s case figures only.</source>
        <translation>数据中心汇总为全市口径；本席位仅显示%1的业务数据。</translation>
    </message>
    <message>
        <source>vs yesterday</source>
        <translation>较昨日同期</translation>
    </message>
    <message>
        <source>vs usual</source>
        <translation>较近4周同日</translation>
    </message>
    <message>
        <source>Received since midnight, against the same time yesterday and the average of the same weekday over the last %1 weeks held (%2 of %3)</source>
        <translation>今日零时以来受理量，与昨日同一时刻及近 %1 周同一星期几同一时刻的平均值比较（已有 %2/%3 周数据）</translation>
    </message>
    <message>
        <source>The store holds figures from %1 on</source>
        <translation>本地库数据起于 %1</translation>
    </message>
    <message>
        <source>Threshold crossed: %1</source>
        <translation>超过阈值：%1</translation>
    </message>
    <message>
        <source>backlog</source>
        <translation>积案</translation>
    </message>
    <message>
        <source>received above usual</source>
        <translation>受理量高于常态</translation>
    </message>
    <message>
        <source>closed %1 · backlog %2</source>
        <translation>办结 %1 · 积案 %2</translation>
    </message>
    <message>
        <source>agents online %1 · average wait %2 s</source>
        <translation>坐席在线 %1 · 平均等待 %2 秒</translation>
    </message>
    <message>
        <source>Calls waiting now; the line: the last two hours</source>
        <translation>当前排队来电；曲线：近两小时</translation>
    </message>
    <message>
        <source>under correction · electronic monitoring %1 · open alerts %2</source>
        <translation>在矫 · 电子监管 %1 · 未处置告警 %2</translation>
    </message>
    <message>
        <source>People under correction; the line: open alerts over the last two hours</source>
        <translation>在册社区矫正对象；曲线：近两小时未处置告警</translation>
    </message>
    <message>
        <source>Service points online; the line: points offline over the last two hours</source>
        <translation>在线服务点位；曲线：近两小时离线点位</translation>
    </message>
</context>
<context>
    <name>Panel</name>
    <message>
        <source>Could not read the local store: %1</source>
        <translation>无法读取本地数据库：%1</translation>
    </message>
    <message>
        <source>never received</source>
        <translation>从未收到</translation>
    </message>
    <message>
        <source>data from %1</source>
        <translation>数据为 %1</translation>
    </message>
    <message>
        <source>down</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>滞后</translation>
    </message>
    <message>
        <source>Not live: %1</source>
        <translation>数据非实时：%1</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>New inspection plan</source>
        <translation>新建督查计划</translation>
    </message>
    <message>
        <source>e.g. 吴中区司法所 11月督查</source>
        <translation>如：吴中区司法所 11月督查</translation>
    </message>
    <message>
        <source>All counties</source>
        <translation>全部区县</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部层级</translation>
    </message>
    <message>
        <source>all of them</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>A random sample of this many points (0: all that match)</source>
        <translation>随机抽取的点位数（0：全部符合条件的点位）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Random sample</source>
        <translation>随机抽查</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>共 %1 个点位</translation>
    </message>
    <message>
        <source>All points</source>
        <translation>全部点位</translation>
    </message>
    <message>
        <source>No point matches: widen the choice.</source>
        <translation>没有符合条件的点位，请放宽条件。</translation>
    </message>
</context>
<context>
    <name>PointCard</name>
    <message>
        <source>Open cameras on the wall</source>
        <translation>视频上墙</translation>
    </message>
    <message>
        <source>Start an inspection</source>
        <translation>发起督查</translation>
    </message>
    <message>
        <source>Add to a meeting</source>
        <translation>加入视频会议</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Staff on duty</source>
        <translation>在岗人员</translation>
    </message>
    <message>
        <source>Open hours</source>
        <translation>服务时间</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation>未结告警</translation>
    </message>
    <message>
        <source>No open alerts</source>
        <translation>无未结告警</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message>
        <source>Page &amp;Set:</source>
        <translation>页面集(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>RankingChart</name>
    <message>
        <source>Received today per 10,000 residents</source>
        <translation>今日每万常住人口受理量</translation>
    </message>
    <message>
        <source>Received today by county</source>
        <translation>各区县今日受理</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>督查员</translation>
    </message>
    <message>
        <source>Conference operator</source>
        <translation>会议操作员</translation>
    </message>
</context>
<context>
    <name>RollCallView</name>
    <message>
        <source>No roll-call under way. Choose a plan above and start the roll-call: its points come one after another on video.</source>
        <translation>尚未开始点验。请在上方选择计划并开始点验：计划中的点位将逐一显示视频。</translation>
    </message>
    <message>
        <source>1 / P present · 2 / A absent · 3 / N no picture · S skip</source>
        <translation>1 / P 在岗 · 2 / A 不在岗 · 3 / N 无图像 · S 跳过</translation>
    </message>
    <message>
        <source>wait for a key</source>
        <translation>等待按键</translation>
    </message>
    <message>
        <source> s a station</source>
        <translation> 秒/点位</translation>
    </message>
    <message>
        <source>Move on by itself after this long without an answer (the station is then left unanswered)</source>
        <translation>超过此时长未作答则自动跳到下一点位（该点位记为未点验）</translation>
    </message>
    <message>
        <source>Starting the roll call</source>
        <translation>开始点验</translation>
    </message>
    <message>
        <source>Keeping the answer</source>
        <translation>保存点验结果</translation>
    </message>
    <message>
        <source>Finishing the roll call</source>
        <translation>结束点验</translation>
    </message>
    <message>
        <source>Roll-call done: %1 present, %2 absent, %3 without picture, %4 unanswered</source>
        <translation>点验完成：在岗 %1，不在岗 %2，无图像 %3，未点验 %4</translation>
    </message>
</context>
<context>
    <name>RosterLine</name>
    <message>
        <source>Duty roster: not offered by the data center</source>
        <translation>值班表：数据中心未提供</translation>
    </message>
    <message>
        <source>Duty roster: no shift on duty now</source>
        <translation>值班表：当前无值班班次</translation>
    </message>
    <message>
        <source>This data center offers no duty roster (interface v1): enter the desk&apos;s shifts in the Duty roster panel.</source>
        <translation>本数据中心不提供值班表接口（数据接口 v1）：请在“值班表”面板录入本席位的值班班次。</translation>
    </message>
    <message>
        <source>Leader on duty %1</source>
        <translation>值班领导 %1</translation>
    </message>
    <message>
        <source>Officers %1</source>
        <translation>值班员 %1</translation>
    </message>
    <message>
        <source>Duty roster: shift without names</source>
        <translation>值班表：本班次未列人员</translation>
    </message>
    <message>
        <source>%1 %2, shift %3</source>
        <translation>%1%2，班次 %3</translation>
    </message>
    <message>
        <source>(local)</source>
        <translation>（本地）</translation>
    </message>
    <message>
        <source>You are not on this shift&apos;s roster</source>
        <translation>您不在本班次值班表中</translation>
    </message>
    <message>
        <source>The person signed in at this desk is not the leader or an officer of the shift on duty. You may go on working; check the roster or the handover.</source>
        <translation>本席位登录人员不是当前班次的值班领导或值班员。可以继续工作；请核对值班表或交接班记录。</translation>
    </message>
    <message>
        <source>Duty roster: cannot be read</source>
        <translation>值班表：无法读取</translation>
    </message>
</context>
<context>
    <name>RosterPanel</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Roster of</source>
        <translation>值班日期</translation>
    </message>
    <message>
        <source>This data center offers no duty roster (interface v1). The shifts entered at this desk are listed instead, marked “local”.</source>
        <translation>本数据中心不提供值班表接口（数据接口 v1）。下面列出本席位录入的值班班次，标为“本地”。</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Leader on duty</source>
        <translation>值班领导</translation>
    </message>
    <message>
        <source>Officers on duty</source>
        <translation>值班员</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Remove local shift</source>
        <translation>删除本地班次</translation>
    </message>
    <message>
        <source>Enter a local duty shift</source>
        <translation>录入本地值班班次</translation>
    </message>
    <message>
        <source>Leader&apos;s name</source>
        <translation>值班领导姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>One officer a line: name, then phone</source>
        <translation>每行一名值班员：姓名，然后电话</translation>
    </message>
    <message>
        <source>Add local shift</source>
        <translation>添加本地班次</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>From – to</source>
        <translation>起止时间</translation>
    </message>
    <message>
        <source>Leader&apos;s phone</source>
        <translation>值班领导电话</translation>
    </message>
    <message>
        <source>No shifts on this day&apos;s roster</source>
        <translation>当日值班表无班次</translation>
    </message>
    <message>
        <source>Leaders on duty now: %1</source>
        <translation>当前值班领导：%1</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>Data center</source>
        <translation>数据中心</translation>
    </message>
    <message>
        <source>On duty now</source>
        <translation>当班</translation>
    </message>
    <message>
        <source>Enter the leader on duty or at least one officer.</source>
        <translation>请填写值班领导，或至少一名值班员。</translation>
    </message>
    <message>
        <source>Entering the local shift</source>
        <translation>录入本地班次</translation>
    </message>
    <message>
        <source>Removing the local shift</source>
        <translation>删除本地班次</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in — Justice Bureau Command Center</source>
        <translation>登录 — 司法局指挥中心</translation>
    </message>
    <message>
        <source>Justice Bureau Command Center</source>
        <translation>司法局指挥中心</translation>
    </message>
    <message>
        <source>No directory is configured and this store has no accounts. Create one with: commandcenter users add NAME --name &apos;FULL NAME&apos; --role duty_officer</source>
        <translation>未配置目录服务，本地库中也没有账户。请先创建账户：commandcenter users add 用户名 --name &apos;姓名&apos; --role duty_officer</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Work as</source>
        <translation>值守角色(&amp;W)</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>进入</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>your user name</source>
        <translation>您的用户名</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>The sign-in failed unexpectedly; the log says why.</source>
        <translation>登录意外失败，原因见日志。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>StatisticsPanel</name>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计研判</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation>自定义时段…</translation>
    </message>
    <message>
        <source>Received, closed, backlog</source>
        <translation>受理、办结、积案</translation>
    </message>
    <message>
        <source>Stacked by county</source>
        <translation>按区县堆叠</translation>
    </message>
    <message>
        <source>Stacked by category</source>
        <translation>按类别堆叠</translation>
    </message>
    <message>
        <source>Whole city</source>
        <translation>全市</translation>
    </message>
    <message>
        <source>Per 10,000 residents</source>
        <translation>每万常住人口</translation>
    </message>
    <message>
        <source>The county ranking divided by each county&apos;s residents</source>
        <translation>区县排名按各区县常住人口折算</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Both charts as PNG and SVG, the figures as CSV and XLSX</source>
        <translation>两张图表导出为 PNG 和 SVG，数据导出为 CSV 和 XLSX</translation>
    </message>
    <message>
        <source>Daily report…</source>
        <translation>日报…</translation>
    </message>
    <message>
        <source>Today&apos;s report (日报) as a PDF: the KPIs, the charts and the summary</source>
        <translation>生成今日日报 PDF：各项指标、图表与概要</translation>
    </message>
    <message>
        <source>▲ unusual hour: a county received far more cases than it usually does at that hour, compared with the same hour of the same weekday in the past four weeks (or of the past days while fewer than three weeks are stored), and at least 5 more. Hover for the exact rule.</source>
        <translation>▲ 异常时段：某区县某小时的受理量远高于往常——与前四周同一星期几的同一小时相比（存储不足三周时与前几天的同一小时相比），且至少多 5 件。悬停可查看精确规则。</translation>
    </message>
    <message>
        <source>▲ unusual hour: a county&apos;s cases received far above the same hour of the same weekday in the previous weeks (or of the previous days while fewer than three weeks are stored): robust z-score 0.6745·(x − median)/MAD ≥ 3.5 (the MAD at least 1 and at least 0.6745·√median, what chance alone gives counts of that size) and at least 5 cases above the median; the hour under way counts at its rate so far</source>
        <translation>▲ 异常时段：某区县该小时受理量远高于前几周同一星期几的同一小时（存储不足三周时与前几天同一小时比较）：稳健 z 分数 0.6745·(x − 中位数)/MAD ≥ 3.5（MAD 至少取 1 及 0.6745·√中位数，即同等件数随机波动的幅度），且比中位数多至少 5 件；进行中的小时按目前的速率计</translation>
    </message>
    <message>
        <source>%1, %2: %3 received today</source>
        <translation>%1 · %2：今日受理 %3</translation>
    </message>
    <message>
        <source>whole city</source>
        <translation>全市</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>每日</translation>
    </message>
    <message>
        <source>received per day, by county</source>
        <translation>每日受理量（按区县）</translation>
    </message>
    <message>
        <source>received per day, by category</source>
        <translation>每日受理量（按类别）</translation>
    </message>
    <message>
        <source>per hour</source>
        <translation>每小时</translation>
    </message>
    <message>
        <source>received per hour, by county</source>
        <translation>每小时受理量，按区县</translation>
    </message>
    <message>
        <source>received per hour, by category</source>
        <translation>每小时受理量，按类别</translation>
    </message>
    <message>
        <source>hourly</source>
        <translation>逐时</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>逐日</translation>
    </message>
    <message>
        <source>day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>per 10,000 residents</source>
        <translation>每万常住人口</translation>
    </message>
    <message>
        <source>received today</source>
        <translation>今日受理</translation>
    </message>
    <message>
        <source>counties</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>county</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Chart image %1</source>
        <translation>图表图片 %1</translation>
    </message>
    <message>
        <source>Chart drawing %1</source>
        <translation>矢量图 %1</translation>
    </message>
    <message>
        <source>Table %1</source>
        <translation>表格 %1</translation>
    </message>
    <message>
        <source>Workbook %1</source>
        <translation>工作簿 %1</translation>
    </message>
    <message>
        <source>Export charts to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>Exporting the statistics</source>
        <translation>正在导出统计数据</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Cancelled: no file was written</source>
        <translation>已取消，未写入任何文件</translation>
    </message>
    <message>
        <source>Exported %1 files to %2</source>
        <translation>已导出 %1 个文件到 %2</translation>
    </message>
    <message>
        <source>Save the daily report</source>
        <translation>保存日报</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the daily report</source>
        <translation>正在生成日报</translation>
    </message>
    <message>
        <source>The daily report was not written</source>
        <translation>日报未能生成</translation>
    </message>
    <message>
        <source>Daily report written to %1</source>
        <translation>日报已保存到 %1</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>%1 (%2), the time every panel shows</source>
        <translation>%1（%2），各面板所示时间均以此为准</translation>
    </message>
    <message>
        <source>Not connected to a data center</source>
        <translation>未连接数据中心</translation>
    </message>
    <message>
        <source>Shared store %1</source>
        <translation>共享存储 %1</translation>
    </message>
    <message>
        <source>cannot be read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>a collector polls the data center</source>
        <translation>采集端正在轮询数据中心</translation>
    </message>
    <message>
        <source>no collector has polled the data center yet</source>
        <translation>尚无采集端轮询过数据中心</translation>
    </message>
    <message>
        <source>last successful poll by any collector: %1</source>
        <translation>所有采集端最近一次成功轮询：%1</translation>
    </message>
    <message>
        <source>Embedded data center</source>
        <translation>内置模拟数据中心</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>connection unstable</source>
        <translation>连接不稳定</translation>
    </message>
    <message>
        <source>connection lost</source>
        <translation>连接中断</translation>
    </message>
</context>
<context>
    <name>SupervisionPanel</name>
    <message>
        <source>New plan…</source>
        <translation>新建计划…</translation>
    </message>
    <message>
        <source>Roll-call this plan</source>
        <translation>按此计划点验</translation>
    </message>
    <message>
        <source>Report (PDF)…</source>
        <translation>督查报告（PDF）…</translation>
    </message>
    <message>
        <source>The report of the inspection shown, as a PDF</source>
        <translation>将当前显示的督查导出为 PDF 报告</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>检查模板</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>督查</translation>
    </message>
    <message>
        <source>The points of this plan are called one by one</source>
        <translation>逐一点验此计划中的点位</translation>
    </message>
    <message>
        <source>Start the roll-call (Ctrl+Shift+R)</source>
        <translation>开始点验（Ctrl+Shift+R）</translation>
    </message>
    <message>
        <source>Roll-call</source>
        <translation>视频点验</translation>
    </message>
    <message>
        <source>All inspections</source>
        <translation>全部督查</translation>
    </message>
    <message>
        <source>Rectification due</source>
        <translation>整改未到期</translation>
    </message>
    <message>
        <source>Rectification due today</source>
        <translation>整改今日到期</translation>
    </message>
    <message>
        <source>Rectification overdue</source>
        <translation>整改已逾期</translation>
    </message>
    <message>
        <source>Failed, no rectification date</source>
        <translation>不合格、未定整改期限</translation>
    </message>
    <message>
        <source>Rectification closed</source>
        <translation>整改已完成</translation>
    </message>
    <message>
        <source>Service point…</source>
        <translation>服务点位…</translation>
    </message>
    <message>
        <source>Close rectification…</source>
        <translation>整改销号…</translation>
    </message>
    <message>
        <source>Inspection report (PDF)…</source>
        <translation>督查报告（PDF）…</translation>
    </message>
    <message>
        <source>The report of the inspection selected in the list or in “Sent from this desk”</source>
        <translation>导出列表或“本席位提交”中所选督查的报告</translation>
    </message>
    <message>
        <source>Period summary…</source>
        <translation>阶段汇总…</translation>
    </message>
    <message>
        <source>Pass rates by county, by item and by inspector, as CSV and XLSX</source>
        <translation>按区县、检查项目和督查人统计合格率，导出 CSV 和 XLSX</translation>
    </message>
    <message>
        <source>Sent from this desk</source>
        <translation>本席位提交的督查</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Checklist templates</source>
        <translation>督查模板</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>History and follow-up</source>
        <translation>历史与跟踪</translation>
    </message>
    <message>
        <source>All inspectors</source>
        <translation>全部督查人</translation>
    </message>
    <message>
        <source>pass/fail</source>
        <translation>合格/不合格</translation>
    </message>
    <message>
        <source>score</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒收</translation>
    </message>
    <message>
        <source>%1 of %2 · %3 done</source>
        <translation>第 %1 / %2 个 · 已完成 %3</translation>
    </message>
    <message>
        <source>Saving the plan</source>
        <translation>保存督查计划</translation>
    </message>
    <message>
        <source>Keeping the place in the plan</source>
        <translation>保存计划进度</translation>
    </message>
    <message>
        <source>No checklist template from the data center yet</source>
        <translation>尚未收到数据中心的检查模板</translation>
    </message>
    <message>
        <source>The point %1 is no longer in the directory</source>
        <translation>点位 %1 已不在目录中</translation>
    </message>
    <message>
        <source>Choose a plan, or make one (New plan…), to call its points.</source>
        <translation>请选择一个计划，或新建计划（新建计划…），再点验其点位。</translation>
    </message>
    <message>
        <source>%1 inspections · %2 rectifications due today · %3 overdue</source>
        <translation>督查 %1 次 · 整改今日到期 %2 项 · 逾期 %3 项</translation>
    </message>
    <message>
        <source>Close rectification</source>
        <translation>整改销号</translation>
    </message>
    <message>
        <source>Select an inspection whose rectification is still open.</source>
        <translation>请选择整改尚未完成的督查记录。</translation>
    </message>
    <message>
        <source>How was it rectified?</source>
        <translation>整改情况：</translation>
    </message>
    <message>
        <source>Closing the rectification</source>
        <translation>整改销号</translation>
    </message>
    <message>
        <source>Period of the summary</source>
        <translation>汇总时段</translation>
    </message>
    <message>
        <source>Write the summary to</source>
        <translation>汇总保存到</translation>
    </message>
    <message>
        <source>Writing the inspection summary</source>
        <translation>正在生成督查汇总</translation>
    </message>
    <message>
        <source>The summary was not written</source>
        <translation>汇总未能生成</translation>
    </message>
    <message>
        <source>Select an inspection: a row of the history, one sent from this desk, or open one on the Inspect tab.</source>
        <translation>请选择一条督查：督查记录中的一行、本席位提交的督查，或在“督查”页打开的督查。</translation>
    </message>
    <message>
        <source>Wrote %1 files to %2</source>
        <translation>已保存 %1 个文件到 %2</translation>
    </message>
    <message>
        <source>Inspection report</source>
        <translation>督查报告</translation>
    </message>
    <message>
        <source>Save the inspection report</source>
        <translation>保存督查报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>报告已写入 %1</translation>
    </message>
    <message>
        <source>Writing the inspection report</source>
        <translation>正在生成督查报告</translation>
    </message>
    <message>
        <source>The report was not written</source>
        <translation>报告未能生成</translation>
    </message>
    <message>
        <source>Cancelled: no file was written</source>
        <translation>已取消，未写入任何文件</translation>
    </message>
    <message>
        <source>Inspection of %1</source>
        <translation>督查 %1</translation>
    </message>
</context>
<context>
    <name>TextDialog</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>TourControls</name>
    <message>
        <source>Tours: walls shown one after another, each for its own time</source>
        <translation>轮巡：按顺序显示多个画面墙，每个停留各自的时长</translation>
    </message>
    <message>
        <source>Start tour</source>
        <translation>开始轮巡</translation>
    </message>
    <message>
        <source>Previous step (Page Up)</source>
        <translation>上一步（Page Up）</translation>
    </message>
    <message>
        <source>Next step (Page Down)</source>
        <translation>下一步（Page Down）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Tours…</source>
        <translation>轮巡方案…</translation>
    </message>
    <message>
        <source>The tour %1 cannot be used: %2</source>
        <translation>轮巡方案 %1 无法使用：%2</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>No tours yet</source>
        <translation>尚无轮巡方案</translation>
    </message>
    <message>
        <source>%1 · step %2 of %3</source>
        <translation>%1 · 第 %2/%3 步</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>held while you work on the wall</source>
        <translation>操作期间保持当前画面</translation>
    </message>
    <message>
        <source>next in %1 s</source>
        <translation>%1 秒后切换</translation>
    </message>
</context>
<context>
    <name>TourEditor</name>
    <message>
        <source>Tours</source>
        <translation>轮巡方案</translation>
    </message>
    <message>
        <source>Name of the tour, e.g. 夜班巡查</source>
        <translation>方案名称，如：夜班巡查</translation>
    </message>
    <message>
        <source>Add this wall</source>
        <translation>添加当前画面墙</translation>
    </message>
    <message>
        <source>The layout and the cameras on the wall now</source>
        <translation>当前的布局及其上的摄像机</translation>
    </message>
    <message>
        <source>Add saved wall</source>
        <translation>添加已保存的画面墙</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Delete tour</source>
        <translation>删除方案</translation>
    </message>
    <message>
        <source>Dwell</source>
        <translation>停留</translation>
    </message>
    <message>
        <source>The tour %1 cannot be used: %2</source>
        <translation>轮巡方案 %1 无法使用：%2</translation>
    </message>
    <message>
        <source>Give the tour a name.</source>
        <translation>请为方案命名。</translation>
    </message>
    <message>
        <source>Add at least one step.</source>
        <translation>请至少添加一步。</translation>
    </message>
    <message>
        <source>Saved %1 with %2 steps.</source>
        <translation>已保存 %1，共 %2 步。</translation>
    </message>
    <message>
        <source>Delete the tour %1?</source>
        <translation>删除轮巡方案 %1？</translation>
    </message>
    <message>
        <source>Saved wall %1</source>
        <translation>已保存的画面墙 %1</translation>
    </message>
    <message>
        <source>Layout %1 with %2 cameras</source>
        <translation>布局 %1，%2 路摄像机</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <source>Camera offline</source>
        <translation>视频离线</translation>
    </message>
    <message>
        <source>no connection to the data center</source>
        <translation>未连接数据中心</translation>
    </message>
    <message>
        <source>requesting the stream…</source>
        <translation>正在请求视频流…</translation>
    </message>
    <message>
        <source>no picture for %1 s</source>
        <translation>%1 秒无画面</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>PTZ refused: %1</source>
        <translation>云台控制被拒绝：%1</translation>
    </message>
    <message>
        <source>opening the stream…</source>
        <translation>正在打开视频流…</translation>
    </message>
    <message>
        <source>Picture frozen at %1</source>
        <translation>画面冻结于 %1</translation>
    </message>
    <message>
        <source>Video offline since %1</source>
        <translation>视频离线 · 自 %1 起</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Stalled · last picture %1 ago</source>
        <translation>卡顿 · 最后画面 %1</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <source>Not authorized: %1</source>
        <translation>未授权：%1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source> · retrying in %1 s</source>
        <translation> · %1 秒后重试</translation>
    </message>
    <message>
        <source>Not shown</source>
        <translation>未显示</translation>
    </message>
</context>
<context>
    <name>WallPanel</name>
    <message>
        <source>%1 tiles</source>
        <translation>%1 画面</translation>
    </message>
    <message>
        <source>%1 (large + small)</source>
        <translation>%1（大小画面）</translation>
    </message>
    <message>
        <source>Recall a saved wall: its layout and the cameras placed on it</source>
        <translation>调用已保存的上墙方案：布局及放置的摄像机</translation>
    </message>
    <message>
        <source>Save wall…</source>
        <translation>保存上墙方案…</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Snapshot failed: %1</source>
        <translation>截图失败：%1</translation>
    </message>
    <message>
        <source>No picture to take yet</source>
        <translation>暂无画面可截图</translation>
    </message>
    <message>
        <source>Snapshot saved: %1</source>
        <translation>已截图：%1</translation>
    </message>
    <message>
        <source>Save wall</source>
        <translation>保存上墙方案</translation>
    </message>
    <message>
        <source>Name of the wall:</source>
        <translation>方案名称：</translation>
    </message>
    <message>
        <source>There is no saved wall %1</source>
        <translation>没有名为 %1 的画面墙</translation>
    </message>
    <message>
        <source>The saved wall %1 is damaged and was not applied</source>
        <translation>已保存的上墙方案 %1 已损坏，未应用</translation>
    </message>
    <message>
        <source>the saved wall %1 no longer exists</source>
        <translation>画面墙 %1 已不存在</translation>
    </message>
    <message>
        <source>the saved wall %1 is damaged</source>
        <translation>画面墙 %1 已损坏</translation>
    </message>
    <message>
        <source>%1 cameras · %2 at stations with open alerts</source>
        <translation>视频通道 %1 路 · 告警点位 %2 路</translation>
    </message>
    <message>
        <source>%1: video offline since %2, now on tile %3</source>
        <translation>%1：%2 起视频离线，移至 %3 号画面</translation>
    </message>
    <message>
        <source>%1: video offline since %2</source>
        <translation>%1：%2 起视频离线</translation>
    </message>
</context>
<context>
    <name>WallSetupDialog</name>
    <message>
        <source>Wall mode: panels on screens</source>
        <translation>上墙模式：各屏幕的面板</translation>
    </message>
    <message>
        <source>(not used)</source>
        <translation>（不使用）</translation>
    </message>
    <message>
        <source>Esc or Ctrl+Shift+W leaves wall mode; F1 lists the shortcuts.</source>
        <translation>按 Esc 或 Ctrl+Shift+W 退出上墙模式；按 F1 查看快捷键。</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Workspace</source>
        <translation>工作区(&amp;W)</translation>
    </message>
    <message>
        <source>Save layout as…</source>
        <translation>布局另存为…</translation>
    </message>
    <message>
        <source>Recall layout</source>
        <translation>调用布局</translation>
    </message>
    <message>
        <source>Delete layout</source>
        <translation>删除布局</translation>
    </message>
    <message>
        <source>Default layout</source>
        <translation>默认布局</translation>
    </message>
    <message>
        <source>Wall mode</source>
        <translation>上墙模式</translation>
    </message>
    <message>
        <source>Choose panels for screens…</source>
        <translation>设置各屏幕显示的面板…</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Refresh all feeds now</source>
        <translation>立即刷新全部数据</translation>
    </message>
    <message>
        <source>Search the directory</source>
        <translation>搜索点位目录</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Station</source>
        <translation>工作站(&amp;S)</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Hand over the shift…</source>
        <translation>交班…</translation>
    </message>
    <message>
        <source>Take over the shift…</source>
        <translation>接班…</translation>
    </message>
    <message>
        <source>Lock the desk</source>
        <translation>锁定席位</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Dark (control room)</source>
        <translation>深色（指挥大厅）</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About…</source>
        <translation>关于…</translation>
    </message>
    <message>
        <source>Show or hide: %1</source>
        <translation>显示/隐藏：%1</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert</source>
        <translation>确认选中的告警</translation>
    </message>
    <message>
        <source>Assign the selected alert</source>
        <translation>指派所选告警</translation>
    </message>
    <message>
        <source>Comment on the selected alert</source>
        <translation>备注所选告警</translation>
    </message>
    <message>
        <source>Open the selected row; on a video tile: single view and back</source>
        <translation>打开选中行；在视频画面上：单画面与返回</translation>
    </message>
    <message>
        <source>PTZ of the focused video tile (release to stop; the wheel zooms)</source>
        <translation>云台控制当前视频画面（松开即停；滚轮变焦）</translation>
    </message>
    <message>
        <source>Snapshot of the focused video tile</source>
        <translation>当前视频画面截图（取证）</translation>
    </message>
    <message>
        <source>Resolution, bitrate and stream of the focused video tile</source>
        <translation>当前视频画面的分辨率、码率与码流</translation>
    </message>
    <message>
        <source>Give a placed video tile back to the automatic order</source>
        <translation>释放手动放置的视频画面，恢复自动排序</translation>
    </message>
    <message>
        <source>Previous / next step of the wall&apos;s tour</source>
        <translation>画面墙轮巡的上一步 / 下一步</translation>
    </message>
    <message>
        <source>Leave wall mode</source>
        <translation>退出上墙模式</translation>
    </message>
</context>
<context>
    <name>Workspaces</name>
    <message>
        <source>Save layout</source>
        <translation>保存布局</translation>
    </message>
    <message>
        <source>Name of the layout:</source>
        <translation>布局名称：</translation>
    </message>
</context>
</TS>
