-- wrk script for scripts/bench: POST a new Task to /api/tasksList/26.
-- Accept and x-vcloud-authorization come from wrk -H on the command line.
wrk.method = "POST"
wrk.body = '<Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" serviceNamespace="org.example.vcd.backup" operation="bench"/>'
wrk.headers["Content-Type"] = "application/vnd.vmware.vcloud.task+xml"
