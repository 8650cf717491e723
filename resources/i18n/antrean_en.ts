<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="id_ID">
  <context>
    <name>Booking</name>
    <message>
      <source>Tanggal lahir harus di masa lalu.</source>
      <translation>The date of birth must be in the past.</translation>
    </message>
    <message>
      <source>Tanggal lahir lebih dari 120 tahun yang lalu.</source>
      <translation>The date of birth is more than 120 years ago.</translation>
    </message>
    <message>
      <source>Nomor telepon tidak sah: {phone}.</source>
      <translation>Invalid phone number: {phone}.</translation>
    </message>
    <message>
      <source>Tanggal kedatangan sudah lewat.</source>
      <translation>The arrival date has already passed.</translation>
    </message>
    <message>
      <source>Jam jadwal harus menit bulat, misalnya 09:30.</source>
      <translation>The scheduled time must be whole minutes, e.g. 09:30.</translation>
    </message>
    <message>
      <source>Nama hanya boleh berisi huruf, spasi, titik, tanda petik dan tanda hubung.</source>
      <translation>The name may contain only letters, spaces, dots, apostrophes and hyphens.</translation>
    </message>
    <message>
      <source>Nomor antrean untuk tanggal ini sudah habis.</source>
      <translation>No queue numbers are left for this date.</translation>
    </message>
    <message>
      <source>Nama harus {min}-{max} huruf.</source>
      <translation>The name must be {min}-{max} letters.</translation>
    </message>
  </context>
  <context>
    <name>CheckIn</name>
    <message>
      <source>Kode tidak sah: bukan kode booking atau sudah diubah.</source>
      <translation>Invalid code: not a booking code, or it has been altered.</translation>
    </message>
    <message>
      <source>Diterima. Nomor antrean {number} sedang dicetak.</source>
      <translation>Accepted. Queue number {number} is being printed.</translation>
    </message>
    <message>
      <source>Terlalu awal. Silakan kembali pukul {opens} (jadwal pukul {slot}).</source>
      <translation>Too early. Please come back at {opens} (appointment at {slot}).</translation>
    </message>
    <message>
      <source>Bukan hari ini: jadwal Anda tanggal {date}.</source>
      <translation>Not today: your appointment is on {date}.</translation>
    </message>
    <message>
      <source>Kode booking hangus.</source>
      <translation>The booking code is void.</translation>
    </message>
    <message>
      <source>Sudah check-in dengan nomor antrean {number}. Cetak ulang perlu PIN supervisor.</source>
      <translation>Already checked in with queue number {number}. A reprint needs the supervisor PIN.</translation>
    </message>
    <message>
      <source>Kode untuk kantor lain ({office}). Silakan datang ke kantor yang tertera.</source>
      <translation>This code is for another office ({office}). Please go to the office shown.</translation>
    </message>
    <message>
      <source>Booking ini sudah dibatalkan.</source>
      <translation>This booking has been cancelled.</translation>
    </message>
    <message>
      <source>Kode booking tidak dikenal.</source>
      <translation>Unknown booking code.</translation>
    </message>
    <message>
      <source>Kode salah ketik: satu huruf atau angka tidak cocok. Periksa lagi kodenya.</source>
      <translation>Mistyped code: one letter or digit does not match. Please check the code again.</translation>
    </message>
    <message>
      <source>Kode booking hangus: jadwal pukul {slot}, batas kedatangan pukul {deadline} tanggal {date} terlewat.</source>
      <translation>The booking code is void: appointment at {slot}, the arrival deadline of {deadline} on {date} was missed.</translation>
    </message>
    <message>
      <source>Kode untuk kantor lain: {name} ({office}). Silakan datang ke kantor itu.</source>
      <translation>Code of another office: {name} ({office}). Please go to that office.</translation>
    </message>
  </context>
  <context>
    <name>Cli</name>
    <message>
      <source>impor dan ekspor daftar booking (CSV, JSON)</source>
      <translation>import and export booking lists (CSV, JSON)</translation>
    </message>
    <message>
      <source>impor daftar booking; semua baris atau tidak sama sekali</source>
      <translation>import a booking list; all rows or none</translation>
    </message>
    <message>
      <source>Kolom: code, name, birth_date, date, slot, dan bila ada number dan phone. Baris yang salah dilaporkan dengan nomor barisnya dan tidak ada yang diimpor; mengimpor file yang sama lagi tidak mengubah apa pun.</source>
      <translation>Columns: code, name, birth_date, date, slot, and optionally number and phone. A bad row is reported with its row number and nothing is imported; importing the same file again changes nothing.</translation>
    </message>
    <message>
      <source>file .csv atau .json</source>
      <translation>a .csv or .json file</translation>
    </message>
    <message>
      <source>tulis booking satu hari sebagai CSV</source>
      <translation>write one day's bookings as CSV</translation>
    </message>
    <message>
      <source>tanggal layanan, YYYY-MM-DD</source>
      <translation>service date, YYYY-MM-DD</translation>
    </message>
    <message>
      <source>file tujuan (hanya pemilik); bawaan: keluaran standar</source>
      <translation>file to write (owner-only); default: standard output</translation>
    </message>
    <message>
      <source>tidak bisa menulis {file}: {reason}</source>
      <translation>cannot write {file}: {reason}</translation>
    </message>
    <message>
      <source>tidak ada yang diimpor:</source>
      <translation>nothing imported:</translation>
    </message>
    <message>
      <source>booking di kantor ini</source>
      <translation>bookings made at this office</translation>
    </message>
    <message>
      <source>tambah booking dan tampilkan kodenya</source>
      <translation>add a booking and print its code</translation>
    </message>
    <message>
      <source>tanggal lahir, YYYY-MM-DD</source>
      <translation>date of birth, YYYY-MM-DD</translation>
    </message>
    <message>
      <source>jam jadwal, HH:MM (waktu kantor)</source>
      <translation>scheduled time, HH:MM (office time)</translation>
    </message>
    <message>
      <source>nomor WhatsApp, mis. 6281234567890</source>
      <translation>WhatsApp number, e.g. 6281234567890</translation>
    </message>
    <message>
      <source>Nomor antrean {number}, {date} pukul {time}</source>
      <translation>Queue number {number}, {date} at {time}</translation>
    </message>
    <message>
      <source>Menunggu: {counts}</source>
      <translation>Waiting: {counts}</translation>
    </message>
    <message>
      <source>Sisa kuota prioritas: {left}</source>
      <translation>Priority quota left: {left}</translation>
    </message>
    <message>
      <source>Loket {counter}: {number}</source>
      <translation>Counter {counter}: {number}</translation>
    </message>
    <message>
      <source>{time}  {number} → loket {counter}</source>
      <translation>{time}  {number} → counter {counter}</translation>
    </message>
    <message>
      <source>tindakan loket</source>
      <translation>counter (loket) actions</translation>
    </message>
    <message>
      <source>nomor loket</source>
      <translation>counter (loket) number</translation>
    </message>
    <message>
      <source>huruf layanan tujuan pengalihan (dengan transfer)</source>
      <translation>service letter to transfer to (with transfer)</translation>
    </message>
    <message>
      <source>jumlah yang menunggu dan panggilan terakhir</source>
      <translation>waiting counts and the last calls</translation>
    </message>
    <message>
      <source>call transfer perlu --to LAYANAN</source>
      <translation>call transfer needs --to SERVICE</translation>
    </message>
    <message>
      <source>check-in kode booking (seperti pemindai meja depan)</source>
      <translation>check in a booking code (as the desk scanner does)</translation>
    </message>
    <message>
      <source>kode booking seperti dipindai atau diketik</source>
      <translation>the booking code as scanned or typed</translation>
    </message>
    <message>
      <source>terbitkan tiket prioritas tanpa booking</source>
      <translation>issue a walk-in priority ticket</translation>
    </message>
    <message>
      <source>lansia, anak, disabilitas atau ibu_hamil</source>
      <translation>lansia, anak, disabilitas or ibu_hamil</translation>
    </message>
    <message>
      <source>tanggal lahir YYYY-MM-DD (lansia dan anak)</source>
      <translation>date of birth YYYY-MM-DD (lansia and anak)</translation>
    </message>
    <message>
      <source>nama (disimpan hanya sampai penghapusan data pribadi)</source>
      <translation>name (kept only until the privacy purge)</translation>
    </message>
    <message>
      <source>jalankan kantor demo (SQLite, printer pratinjau)</source>
      <translation>start a demo office (SQLite, preview printer)</translation>
    </message>
    <message>
      <source>folder demo (bawaan: 'demo' di folder data pengguna)</source>
      <translation>demo folder (default: 'demo' in the user data folder)</translation>
    </message>
    <message>
      <source>buat kantor demo dan tampilkan isinya, tanpa menjalankan apa pun</source>
      <translation>create the demo office and print it, start nothing</translation>
    </message>
    <message>
      <source>jendela meja depan: pindai, putusan, tiket, prioritas tanpa booking</source>
      <translation>front-desk window: scan, verdict, ticket, walk-in priority</translation>
    </message>
    <message>
      <source>mode layar sentuh: hanya alur prioritas tanpa booking (bawaan: desk.self_service)</source>
      <translation>touch-screen mode: only the walk-in priority flow (default: desk.self_service)</translation>
    </message>
    <message>
      <source>meja petugas walau konfigurasi meminta layanan mandiri</source>
      <translation>the officer's desk even where the config asks for self-service</translation>
    </message>
    <message>
      <source>layar ruang tunggu (layar penuh, bel dan suara)</source>
      <translation>waiting-room display (full screen, chime and voice)</translation>
    </message>
    <message>
      <source>layar yang dipakai, 0 = pertama; diingat untuk mulai berikutnya</source>
      <translation>screen to use, 0 = first; remembered for the next start</translation>
    </message>
    <message>
      <source>keluaran suara: perangkat bawaan, atau pengganti senyap yang sama lamanya</source>
      <translation>sound output: the default device, or a silent stand-in that takes as long</translation>
    </message>
    <message>
      <source>jendela loket: panggil, panggil ulang, layani, selesai</source>
      <translation>counter (loket) window: call, recall, serve, done</translation>
    </message>
    <message>
      <source>mulai dalam mode kecil yang selalu di atas</source>
      <translation>start in the small always-on-top mode</translation>
    </message>
    <message>
      <source>--screen {screen}: perlu nomor layar 0 sampai 15</source>
      <translation>--screen {screen}: expected a screen number from 0 to 15</translation>
    </message>
    <message>
      <source>loket {counter} tidak ada di konfigurasi (yang ada: {known})</source>
      <translation>counter (loket) {counter} is not in the config (known: {known})</translation>
    </message>
    <message>
      <source>Data pribadi sebelum {cutoff} dihapus: {counts}</source>
      <translation>Personal data before {cutoff} removed: {counts}</translation>
    </message>
    <message>
      <source>hapus data pribadi yang lebih lama dari privacy.retention_days</source>
      <translation>remove personal data older than privacy.retention_days</translation>
    </message>
    <message>
      <source>ganti masa simpan untuk kali ini saja</source>
      <translation>override the retention period for this run</translation>
    </message>
    <message>
      <source>tulis zip dukungan (log, konfigurasi) tanpa kunci atau data pribadi</source>
      <translation>write a support zip (logs, config) without keys or personal data</translation>
    </message>
    <message>
      <source>file zip (bawaan: antrean-diagnose-&lt;time&gt;.zip di sini)</source>
      <translation>zip file (default: antrean-diagnose-&lt;time&gt;.zip here)</translation>
    </message>
    <message>
      <source>salin basis data SQLite dengan aman saat kantor berjalan</source>
      <translation>copy the SQLite database safely while the office runs</translation>
    </message>
    <message>
      <source>file cadangan yang ditulis (belum boleh ada)</source>
      <translation>backup file to write (must not exist)</translation>
    </message>
    <message>
      <source>periksa instalasi ini tanpa layar (tanpa konfigurasi)</source>
      <translation>check this installation headless (no config needed)</translation>
    </message>
    <message>
      <source>printer tiket: halaman uji, status, pencetakan</source>
      <translation>the ticket printer: test page, status, printing</translation>
    </message>
    <message>
      <source>cetak tiket yang mengantre (utas printer, di latar depan)</source>
      <translation>print queued tickets (the printer thread, in the foreground)</translation>
    </message>
    <message>
      <source>berhenti bila antrean cetak kosong (atau printer gagal)</source>
      <translation>stop when the queue is empty (or the printer fails)</translation>
    </message>
    <message>
      <source>tiket sebagai file</source>
      <translation>tickets as files</translation>
    </message>
    <message>
      <source>buat gambar salah satu tiket hari ini tanpa mencetaknya</source>
      <translation>render one of today's tickets without printing it</translation>
    </message>
    <message>
      <source>nomor tiket, mis. A042</source>
      <translation>ticket number, e.g. A042</translation>
    </message>
    <message>
      <source>file tujuan</source>
      <translation>file to write</translation>
    </message>
    <message>
      <source>hari layanan YYYY-MM-DD (bawaan: hari ini)</source>
      <translation>service day YYYY-MM-DD (default: today)</translation>
    </message>
    <message>
      <source>Halaman uji dicetak: {printer}</source>
      <translation>Test page printed: {printer}</translation>
    </message>
    <message>
      <source>Menunggu dicetak: {count}</source>
      <translation>Waiting to print: {count}</translation>
    </message>
    <message>
      <source>Dicetak: {name}</source>
      <translation>Printed: {name}</translation>
    </message>
    <message>
      <source>Bukan nomor antrean: {text} (contoh: A042)</source>
      <translation>Not a ticket number: {text} (e.g. A042)</translation>
    </message>
    <message>
      <source>cetak halaman uji sekarang di printer yang diatur</source>
      <translation>print a test page now on the configured printer</translation>
    </message>
    <message>
      <source>keadaan printer dan tiket yang menunggu dicetak</source>
      <translation>the printer's state and the jobs waiting for it</translation>
    </message>
    <message>
      <source>Tiket {number} tidak ada pada hari itu.</source>
      <translation>There is no ticket {number} on that day.</translation>
    </message>
    <message>
      <source>laporan harian (dari peristiwa tiket)</source>
      <translation>the daily report (from ticket events)</translation>
    </message>
    <message>
      <source>harinya, YYYY-MM-DD (bawaan: hari ini)</source>
      <translation>the day, YYYY-MM-DD (default: today)</translation>
    </message>
    <message>
      <source>file keluaran (bawaan: keluaran standar untuk csv dan html)</source>
      <translation>output file (default: standard output for csv and html)</translation>
    </message>
    <message>
      <source>--format pdf perlu --out FILE</source>
      <translation>--format pdf needs --out FILE</translation>
    </message>
    <message>
      <source>baca QR / Code 128 dari file gambar atau video (baris JSON)</source>
      <translation>decode QR / Code 128 in image or video files (JSON lines)</translation>
    </message>
    <message>
      <source>gambar (png, jpg, webp, ...) atau video</source>
      <translation>images (png, jpg, webp, ...) or videos</translation>
    </message>
    <message>
      <source>urutan pembaca kode, dipisah koma (bawaan: scanner.decoders dari konfigurasi, atau zxing-cpp,pyzbar)</source>
      <translation>decoder order, comma-separated (default: scanner.decoders from the config, else zxing-cpp,pyzbar)</translation>
    </message>
    <message>
      <source>Balasan WhatsApp dikirim lewat: [1] WhatsApp Cloud API (cloud_api), [2] hanya dicatat, TIDAK ADA yang dijawab (outbox). Pilih 1 atau 2 [2]: </source>
      <translation>WhatsApp replies go through: [1] the WhatsApp Cloud API (cloud_api), [2] recorded only, NOBODY is answered (outbox). Choose 1 or 2 [2]: </translation>
    </message>
    <message>
      <source>intake.sender = "outbox": balasan WhatsApp hanya dicatat, tidak ada pemohon yang dijawab. Ubah ke "cloud_api" untuk mengirim.</source>
      <translation>intake.sender = "outbox": WhatsApp replies are only recorded, no applicant is answered. Change it to "cloud_api" to send them.</translation>
    </message>
    <message>
      <source>buat file konfigurasi, basis data dan kunci kantor</source>
      <translation>create the config file, database and office key</translation>
    </message>
    <message>
      <source>kode kantor, mis. JKP</source>
      <translation>office code, e.g. JKP</translation>
    </message>
    <message>
      <source>nama kantor, mis. 'Kantor Imigrasi Jakarta Pusat'</source>
      <translation>office name, e.g. 'Kantor Imigrasi Jakarta Pusat'</translation>
    </message>
    <message>
      <source>zona waktu IANA (bawaan Asia/Jakarta)</source>
      <translation>IANA timezone (default Asia/Jakarta)</translation>
    </message>
    <message>
      <source>PIN supervisor, 6-12 angka (disimpan hanya sebagai hash dengan rahasia di file kunci)</source>
      <translation>supervisor PIN, 6-12 digits (stored only as a hash keyed with a secret in the key file)</translation>
    </message>
    <message>
      <source>folder basis data dan kunci (bawaan: folder data pengguna)</source>
      <translation>folder for database and keys (default: user data folder)</translation>
    </message>
    <message>
      <source>ke mana balasan WhatsApp pergi: cloud_api mengirimnya; outbox hanya mencatatnya dan TIDAK menjawab siapa pun (ditanyakan bila dijalankan di terminal; bawaan outbox bila tidak)</source>
      <translation>where WhatsApp replies go: cloud_api sends them; outbox only records them and answers NOBODY (asked when run in a terminal; default outbox when not)</translation>
    </message>
    <message>
      <source>id nomor telepon Cloud API (perlu untuk cloud_api)</source>
      <translation>Cloud API phone-number id (needed for cloud_api)</translation>
    </message>
    <message>
      <source>izinkan ANTREAN_NOW (hanya instalasi latihan dan simulasi)</source>
      <translation>allow ANTREAN_NOW (training and simulation installs only)</translation>
    </message>
    <message>
      <source>skema basis data</source>
      <translation>database schema</translation>
    </message>
    <message>
      <source>jalankan migrasi yang tertunda</source>
      <translation>apply pending migrations</translation>
    </message>
    <message>
      <source>tampilkan revisi skema</source>
      <translation>show the schema revision</translation>
    </message>
    <message>
      <source>periksa file konfigurasi, atau tampilkan rujukannya</source>
      <translation>check the config file, or print its reference</translation>
    </message>
    <message>
      <source>kunci kode booking</source>
      <translation>booking-code keys</translation>
    </message>
    <message>
      <source>berhenti menerima kode yang ditandatangani dengan sebuah kunci</source>
      <translation>stop accepting codes signed with a key</translation>
    </message>
    <message>
      <source>{path} sudah ada; init tidak pernah menimpa konfigurasi</source>
      <translation>{path} already exists; init never overwrites a config</translation>
    </message>
    <message>
      <source>--sender cloud_api perlu --phone-number-id (id nomor telepon Cloud API untuk nomor WhatsApp kantor)</source>
      <translation>--sender cloud_api needs --phone-number-id (the Cloud API phone-number id of the office's WhatsApp number)</translation>
    </message>
    <message>
      <source>periksa file konfigurasi</source>
      <translation>validate the config file</translation>
    </message>
    <message>
      <source>setiap kunci sebagai tabel Markdown</source>
      <translation>every key as a Markdown table</translation>
    </message>
    <message>
      <source>daftar kunci (id dan sidik jari, tanpa rahasia)</source>
      <translation>list keys (ids and fingerprints, never secrets)</translation>
    </message>
    <message>
      <source>tambah kunci tanda tangan baru; kode lama tetap berlaku</source>
      <translation>add a new signing key; old codes stay valid</translation>
    </message>
    <message>
      <source>kunci aktif terakhir tidak bisa dipensiunkan; jalankan rotate dulu</source>
      <translation>cannot retire the last active key; rotate first</translation>
    </message>
    <message>
      <source>simulasikan satu hari kantor (booking, kedatangan, loket, printer) lalu periksa</source>
      <translation>simulate an office day (bookings, arrivals, counters, printer) and check it</translation>
    </message>
    <message>
      <source>booking yang dibuat sehari sebelumnya (bawaan 150)</source>
      <translation>bookings made the day before (default 150)</translation>
    </message>
    <message>
      <source>prioritas tanpa booking pada hari itu (bawaan 30)</source>
      <translation>priority walk-ins on the day (default 30)</translation>
    </message>
    <message>
      <source>benih acak: benih yang sama memainkan hari yang sama</source>
      <translation>random seed: the same seed plays the same day</translation>
    </message>
    <message>
      <source>hari yang dimainkan, YYYY-MM-DD (bawaan 2026-12-01, hari Selasa)</source>
      <translation>the day to play, YYYY-MM-DD (default 2026-12-01, a Tuesday)</translation>
    </message>
    <message>
      <source>--walkins harus 0 atau lebih</source>
      <translation>--walkins must be 0 or more</translation>
    </message>
    <message>
      <source>tindakan yang perlu PIN supervisor</source>
      <translation>actions that need the supervisor PIN</translation>
    </message>
    <message>
      <source>terbitkan tiket untuk kode booking yang hangus</source>
      <translation>issue a ticket for a void booking code</translation>
    </message>
    <message>
      <source>cetak ulang tiket (bertanda CETAK ULANG)</source>
      <translation>print a ticket again (marked REPRINT)</translation>
    </message>
    <message>
      <source>batalkan tiket yang menunggu atau sudah dipanggil</source>
      <translation>cancel a waiting or called ticket</translation>
    </message>
    <message>
      <source>ganti PIN supervisor</source>
      <translation>change the supervisor PIN</translation>
    </message>
    <message>
      <source>PIN saat ini</source>
      <translation>the current PIN</translation>
    </message>
    <message>
      <source>6-12 angka; hash dibuat ulang dengan pepper baru</source>
      <translation>6-12 digits; the hash is re-keyed with a new pepper</translation>
    </message>
    <message>
      <source>{number}: cetak ulang dikirim</source>
      <translation>{number}: reprint sent</translation>
    </message>
    <message>
      <source>{number} dibatalkan</source>
      <translation>{number} cancelled</translation>
    </message>
    <message>
      <source>PIN supervisor diganti.</source>
      <translation>Supervisor PIN changed.</translation>
    </message>
    <message>
      <source>papan web untuk peramban TV dan halaman status tiket</source>
      <translation>web board for TV browsers and ticket status pages</translation>
    </message>
    <message>
      <source>Melayani /display (papan), /t/&lt;token&gt; (halaman status tiket, bila web.public_url diisi) dan server-sent events-nya. Hanya baca, hanya data umum; berjalan di samping atau tanpa layar Qt.</source>
      <translation>Serves /display (the board), /t/&lt;token&gt; (a ticket's status page, when web.public_url is set) and their server-sent events. Read-only, public data only; runs beside or without the Qt display.</translation>
    </message>
    <message>
      <source>alamat yang didengarkan (bawaan: web.host, 127.0.0.1)</source>
      <translation>address to listen on (default: web.host, 127.0.0.1)</translation>
    </message>
    <message>
      <source>port (bawaan: web.port, 8089)</source>
      <translation>port (default: web.port, 8089)</translation>
    </message>
    <message>
      <source>port {port} di {host} sudah dipakai: hentikan program lain itu atau pilih port lain dengan --port atau web.port</source>
      <translation>port {port} on {host} is already in use: stop the other program or choose another with --port or web.port</translation>
    </message>
    <message>
      <source>tidak bisa mendengarkan di {host}:{port}: {reason}</source>
      <translation>cannot listen on {host}:{port}: {reason}</translation>
    </message>
    <message>
      <source>jawab satu pesan booking seolah datang lewat WhatsApp</source>
      <translation>answer one booking message as if it came by WhatsApp</translation>
    </message>
    <message>
      <source>Menangani pesan seperti webhook dan menampilkan balasannya; balasan dicatat di outbox, tidak pernah dikirim.</source>
      <translation>Handles the message like the webhook does and prints the reply; the reply is recorded in the outbox, never sent.</translation>
    </message>
    <message>
      <source>pengirim, mis. 6281234567890</source>
      <translation>sender, e.g. 6281234567890</translation>
    </message>
    <message>
      <source>id pesan (id yang sama memutar ulang balasan yang sama; bawaan: id baru)</source>
      <translation>message id (the same id again replays the same reply; default: a new one)</translation>
    </message>
    <message>
      <source>foto e-KTP yang dikirim bersama pesan (format alamat)</source>
      <translation>e-KTP photo sent with the message (address format)</translation>
    </message>
    <message>
      <source>jangan tulis gambar balasan</source>
      <translation>do not write the reply image</translation>
    </message>
    <message>
      <source>teksnya, mis. "#Budi#25011987#07082027"</source>
      <translation>the text, e.g. "#Budi#25011987#07082027"</translation>
    </message>
    <message>
      <source>jalankan webhook WhatsApp Cloud API</source>
      <translation>run the WhatsApp Cloud API webhook</translation>
    </message>
    <message>
      <source>GET menjawab jabat tangan verifikasi Meta; POST harus membawa X-Hub-Signature-256 yang sah. Rahasia diambil dari intake.secrets_file.</source>
      <translation>GET answers Meta's verification handshake; POSTs must carry a valid X-Hub-Signature-256. Secrets come from intake.secrets_file.</translation>
    </message>
    <message>
      <source>alamat yang didengarkan (bawaan: intake.webhook_host, 127.0.0.1)</source>
      <translation>address to listen on (default: intake.webhook_host, 127.0.0.1)</translation>
    </message>
    <message>
      <source>port (bawaan: intake.webhook_port)</source>
      <translation>port (default: intake.webhook_port)</translation>
    </message>
    <message>
      <source>foto {file} tidak bisa dibaca: {reason}</source>
      <translation>cannot read photo {file}: {reason}</translation>
    </message>
    <message>
      <source>tidak bisa mendengarkan di {host}:{port}: port sudah dipakai (wa-server lain, atau program lain); hentikan itu atau pilih --port</source>
      <translation>cannot listen on {host}:{port}: the port is already in use (another wa-server, or another program); stop it or choose --port</translation>
    </message>
    <message>
      <source>kesalahan konfigurasi: {message}</source>
      <translation>configuration error: {message}</translation>
    </message>
    <message>
      <source>kesalahan: {message}</source>
      <translation>error: {message}</translation>
    </message>
    <message>
      <source>perlu jam HH:MM, bukan {text}</source>
      <translation>expected a time as HH:MM, got {text}</translation>
    </message>
    <message>
      <source>perlu angka 1 atau lebih, bukan {text}</source>
      <translation>expected a number from 1, got {text}</translation>
    </message>
    <message>
      <source>perlu tanggal YYYY-MM-DD, bukan {text}</source>
      <translation>expected a date as YYYY-MM-DD, got {text}</translation>
    </message>
    <message>
      <source>perlu bilangan bulat, bukan {text}</source>
      <translation>expected a whole number, got {text}</translation>
    </message>
    <message>
      <source>pemakaian: </source>
      <translation>usage: </translation>
    </message>
    <message>
      <source>argumen</source>
      <translation>positional arguments</translation>
    </message>
    <message>
      <source>opsi</source>
      <translation>options</translation>
    </message>
    <message>
      <source>tampilkan bantuan ini lalu keluar</source>
      <translation>show this help message and exit</translation>
    </message>
    <message>
      <source>%(prog)s: kesalahan: %(message)s
</source>
      <translation>%(prog)s: error: %(message)s
</translation>
    </message>
    <message>
      <source>argumen ini wajib diisi: %s</source>
      <translation>the following arguments are required: %s</translation>
    </message>
    <message>
      <source>argumen %(argument_name)s: %(message)s</source>
      <translation>argument %(argument_name)s: %(message)s</translation>
    </message>
    <message>
      <source>pilihan tidak dikenal: %(value)r (pilih salah satu: %(choices)s)</source>
      <translation>invalid choice: %(value)r (choose from %(choices)s)</translation>
    </message>
    <message>
      <source>nilai %(type)s tidak sah: %(value)r</source>
      <translation>invalid %(type)s value: %(value)r</translation>
    </message>
    <message>
      <source>argumen tidak dikenal: %s</source>
      <translation>unrecognized arguments: %s</translation>
    </message>
    <message>
      <source>perlu satu nilai</source>
      <translation>expected one argument</translation>
    </message>
    <message>
      <source>opsi %(option)s bisa berarti %(matches)s</source>
      <translation>ambiguous option: %(option)s could match %(matches)s</translation>
    </message>
    <message>
      <source>keluaran JSON untuk mesin</source>
      <translation>machine-readable JSON output</translation>
    </message>
    <message>
      <source>file konfigurasi (bawaan: ANTREAN_CONFIG atau folder konfigurasi pengguna)</source>
      <translation>config file (default: ANTREAN_CONFIG or the user config folder)</translation>
    </message>
    <message>
      <source>URL basis data, menggantikan konfigurasi</source>
      <translation>database URL, overrides the config</translation>
    </message>
    <message>
      <source>bahasa pesan (bawaan: id, Bahasa Indonesia)</source>
      <translation>language of messages (default: id, Bahasa Indonesia)</translation>
    </message>
    <message>
      <source>Antrean Paspor: sistem antrean untuk kantor imigrasi.</source>
      <translation>Antrean Paspor: queue system for immigration offices.</translation>
    </message>
    <message>
      <source>tampilkan versi program lalu keluar</source>
      <translation>show program's version number and exit</translation>
    </message>
    <message>
      <source>Data yang sama sedang diubah oleh perintah lain; tidak ada yang disimpan. Coba lagi.</source>
      <translation>Another command was changing the same data at the same moment; nothing was saved. Try again.</translation>
    </message>
  </context>
  <context>
    <name>Config</name>
    <message>
      <source>bagian [{section}] tidak dikenal: yang ada {known}</source>
      <translation>unknown section [{section}]: expected one of {known}</translation>
    </message>
    <message>
      <source>{section} = {value}: harus tabel [{section}]</source>
      <translation>{section} = {value}: expected a [{section}] table</translation>
    </message>
    <message>
      <source>berkas konfigurasi tidak ditemukan: {path} (buat dengan `python main.py init`)</source>
      <translation>config file not found: {path} (create one with `python main.py init`)</translation>
    </message>
    <message>
      <source>berkas konfigurasi {path} tidak dapat dibaca: {reason}</source>
      <translation>cannot read config file {path}: {reason}</translation>
    </message>
    <message>
      <source>{path}: harus teks UTF-8</source>
      <translation>{path}: expected UTF-8 text</translation>
    </message>
    <message>
      <source>{path}: bukan TOML yang sah (baris {line}, kolom {column})</source>
      <translation>{path}: not valid TOML (line {line}, column {column})</translation>
    </message>
    <message>
      <source>kunci {key} tidak dikenal: [{section}] berisi {known}</source>
      <translation>unknown key {key}: [{section}] has {known}</translation>
    </message>
  </context>
  <context>
    <name>Counter</name>
    <message>
      <source>{number} tidak dilayani: dicatat tidak hadir.</source>
      <translation>{number} was not served: recorded as a no-show.</translation>
    </message>
    <message>
      <source>Loket {counter} tidak ada di konfigurasi (ada: {known}).</source>
      <translation>Counter {counter} is not in the configuration (there are: {known}).</translation>
    </message>
    <message>
      <source>Memanggil ulang {number} ke loket {counter}.</source>
      <translation>Calling {number} again to counter {counter}.</translation>
    </message>
    <message>
      <source>Melayani {number} di loket {counter}.</source>
      <translation>Serving {number} at counter {counter}.</translation>
    </message>
    <message>
      <source>{number} selesai dilayani.</source>
      <translation>{number} has been served.</translation>
    </message>
    <message>
      <source>{number} tidak hadir.</source>
      <translation>{number} did not come.</translation>
    </message>
    <message>
      <source>Layanan {service} tidak ada (ada: {known}).</source>
      <translation>There is no service {service} (there are: {known}).</translation>
    </message>
    <message>
      <source>{number} dialihkan ke layanan {service}.</source>
      <translation>{number} transferred to service {service}.</translation>
    </message>
    <message>
      <source>Nomor {number} sedang berstatus {state}; tindakan ini tidak bisa dilakukan.</source>
      <translation>Number {number} is {state}; this action is not possible.</translation>
    </message>
    <message>
      <source>Tidak ada antrean yang menunggu untuk loket {counter}.</source>
      <translation>Nobody is waiting for counter {counter}.</translation>
    </message>
    <message>
      <source>Loket {counter} belum memanggil nomor apa pun.</source>
      <translation>Counter {counter} has not called any number.</translation>
    </message>
    <message>
      <source>Nomor {number} tidak ada hari ini.</source>
      <translation>There is no number {number} today.</translation>
    </message>
    <message>
      <source>{number} sudah di layanan {service}; pilih layanan lain untuk mengalihkan.</source>
      <translation>{number} is already in service {service}; choose another service to transfer to.</translation>
    </message>
    <message>
      <source>Memanggil {number} ke loket {counter}.</source>
      <translation>Calling {number} to counter {counter}.</translation>
    </message>
    <message>
      <source>Dipanggil</source>
      <translation>Called</translation>
    </message>
    <message>
      <source>Dipanggil ulang</source>
      <translation>Called again</translation>
    </message>
    <message>
      <source>Sedang dilayani</source>
      <translation>Being served</translation>
    </message>
    <message>
      <source>Loket {counter} — Antrean Paspor</source>
      <translation>Counter {counter} — Antrean Paspor</translation>
    </message>
    <message>
      <source>LOKET {counter}</source>
      <translation>COUNTER {counter}</translation>
    </message>
    <message>
      <source>Melayani: {services}</source>
      <translation>Serves: {services}</translation>
    </message>
    <message>
      <source>Ringkas (F12)</source>
      <translation>Compact (F12)</translation>
    </message>
    <message>
      <source>Belum ada yang dipanggil</source>
      <translation>Nobody called yet</translation>
    </message>
    <message>
      <source>Database tidak terhubung — menghubungkan ulang…</source>
      <translation>Database not connected — reconnecting…</translation>
    </message>
    <message>
      <source>Panggil berikutnya</source>
      <translation>Call next</translation>
    </message>
    <message>
      <source>Panggil ulang</source>
      <translation>Call again</translation>
    </message>
    <message>
      <source>Mulai layani</source>
      <translation>Start serving</translation>
    </message>
    <message>
      <source>Selesai</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>Tidak hadir</source>
      <translation>No-show</translation>
    </message>
    <message>
      <source>Alihkan</source>
      <translation>Transfer</translation>
    </message>
    <message>
      <source>Tidak ada nomor aktif</source>
      <translation>No active ticket</translation>
    </message>
    <message>
      <source>{service}: {count} menunggu</source>
      <translation>{service}: {count} waiting</translation>
    </message>
    <message>
      <source>Database tidak tersedia; coba lagi sebentar lagi.</source>
      <translation>Database unavailable; try again in a moment.</translation>
    </message>
    <message>
      <source>Tindakan gagal; lihat log.</source>
      <translation>The action failed; see the log.</translation>
    </message>
    <message>
      <source> (ulang)</source>
      <translation> (again)</translation>
    </message>
  </context>
  <context>
    <name>Demo</name>
    <message>
      <source>Kantor demo di {folder}</source>
      <translation>Demo office in {folder}</translation>
    </message>
    <message>
      <source>Konfigurasi: {path}</source>
      <translation>Config: {path}</translation>
    </message>
    <message>
      <source>PIN supervisor: {pin}</source>
      <translation>Supervisor PIN: {pin}</translation>
    </message>
    <message>
      <source>Kode booking demo hari ini (pindai atau ketik di meja depan):</source>
      <translation>Today's demo booking codes (scan or type them at the front desk):</translation>
    </message>
    <message>
      <source>Coba: {command}</source>
      <translation>Try: {command}</translation>
    </message>
    <message>
      <source>Ponsel demo</source>
      <translation>Demo phone</translation>
    </message>
    <message>
      <source>DEMO: pindai atau ketik salah satu kode ini di meja depan (kolom kode booking, lalu Enter). Pilih kode lain di daftar.</source>
      <translation>DEMO: scan or type one of these codes at the front desk (booking code field, then Enter). Pick another code from the list.</translation>
    </message>
    <message>
      <source>Simpan sebagai gambar…</source>
      <translation>Save as picture…</translation>
    </message>
    <message>
      <source>Arahkan layar ini ke kamera meja depan, atau salin kodenya ke kolom kode booking.</source>
      <translation>Hold this screen in front of the desk camera, or copy the code into the booking code field.</translation>
    </message>
    <message>
      <source>Simpan kode QR</source>
      <translation>Save QR code</translation>
    </message>
    <message>
      <source>tepat waktu → diterima</source>
      <translation>on time → accepted</translation>
    </message>
    <message>
      <source>terlalu awal</source>
      <translation>too early</translation>
    </message>
    <message>
      <source>terlambat → hangus</source>
      <translation>late → void</translation>
    </message>
    <message>
      <source>jadwal besok</source>
      <translation>booked for tomorrow</translation>
    </message>
    <message>
      <source>kantor lain</source>
      <translation>other office</translation>
    </message>
  </context>
  <context>
    <name>Desk</name>
    <message>
      <source>Kamera belum aktif.</source>
      <translation>The camera is not active yet.</translation>
    </message>
    <message>
      <source>Gambar kamera</source>
      <translation>Camera picture</translation>
    </message>
    <message>
      <source>Cetak ulang tiket</source>
      <translation>Reprint a ticket</translation>
    </message>
    <message>
      <source>Tiket dicetak ulang dengan tanda CETAK ULANG. Perlu PIN supervisor.</source>
      <translation>The ticket is printed again, marked REPRINT. Needs the supervisor PIN.</translation>
    </message>
    <message>
      <source>Kecualikan kode hangus</source>
      <translation>Override a void code</translation>
    </message>
    <message>
      <source>Kode {code} hangus. Tiket tetap diterbitkan bila supervisor mengizinkan; alasannya dicatat.</source>
      <translation>Code {code} is void. A ticket is issued if the supervisor allows it; the reason is recorded.</translation>
    </message>
    <message>
      <source>Batalkan tiket</source>
      <translation>Cancel a ticket</translation>
    </message>
    <message>
      <source>Tiket yang dibatalkan tidak akan dipanggil. Alasannya dicatat.</source>
      <translation>A cancelled ticket is never called. The reason is recorded.</translation>
    </message>
    <message>
      <source>Pengaturan</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>Pengaturan perlu PIN supervisor.</source>
      <translation>Settings need the supervisor PIN.</translation>
    </message>
    <message>
      <source>Cetak ulang {number} dikirim ke printer.</source>
      <translation>Reprint of {number} sent to the printer.</translation>
    </message>
    <message>
      <source>Pindai dulu kode booking yang hangus, lalu tekan F8.</source>
      <translation>Scan the void booking code first, then press F8.</translation>
    </message>
    <message>
      <source>Dikecualikan oleh supervisor: {reason}</source>
      <translation>Overridden by the supervisor: {reason}</translation>
    </message>
    <message>
      <source>Tiket {number} dibatalkan.</source>
      <translation>Ticket {number} cancelled.</translation>
    </message>
    <message>
      <source>Antrean Paspor — Meja depan — {office}</source>
      <translation>Antrean Paspor — Front desk — {office}</translation>
    </message>
    <message>
      <source>Kamera: {reason}</source>
      <translation>Camera: {reason}</translation>
    </message>
    <message>
      <source>&amp;Tampilan</source>
      <translation>&amp;View</translation>
    </message>
    <message>
      <source>Ketik kode</source>
      <translation>Type a code</translation>
    </message>
    <message>
      <source>Cari tiket</source>
      <translation>Find a ticket</translation>
    </message>
    <message>
      <source>Muat ulang</source>
      <translation>Reload</translation>
    </message>
    <message>
      <source>Ganti bahasa</source>
      <translation>Switch language</translation>
    </message>
    <message>
      <source>Keluar</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>&amp;Supervisor</source>
      <translation>&amp;Supervisor</translation>
    </message>
    <message>
      <source>Cetak ulang tiket…</source>
      <translation>Reprint a ticket…</translation>
    </message>
    <message>
      <source>Kecualikan kode hangus…</source>
      <translation>Override a void code…</translation>
    </message>
    <message>
      <source>Batalkan tiket…</source>
      <translation>Cancel a ticket…</translation>
    </message>
    <message>
      <source>Pengaturan…</source>
      <translation>Settings…</translation>
    </message>
    <message>
      <source>&amp;Bantuan</source>
      <translation>&amp;Help</translation>
    </message>
    <message>
      <source>Pintasan keyboard</source>
      <translation>Keyboard shortcuts</translation>
    </message>
    <message>
      <source>F2 pindai · F3 prioritas · F4 hari ini · F6 laporan · Ctrl+K ketik kode · Ctrl+F cari · F5 muat ulang
Alt+1..4 kategori prioritas · Ctrl+Enter cetak tiket prioritas
F7 cetak ulang · F8 kecualikan hangus · F9 batalkan tiket · F12 pengaturan (PIN supervisor)
Ctrl+Shift+L ganti bahasa · Ctrl+Q keluar
Pemindai USB bisa dipakai di mana saja di jendela ini.</source>
      <translation>F2 scan · F3 priority · F4 today · F6 report · Ctrl+K type a code · Ctrl+F search · F5 reload
Alt+1..4 priority category · Ctrl+Enter print priority ticket
F7 reprint · F8 override void · F9 cancel ticket · F12 settings (supervisor PIN)
Ctrl+Shift+L switch language · Ctrl+Q quit
The USB scanner works anywhere in this window.</translation>
    </message>
    <message>
      <source>Pindai</source>
      <translation>Scan</translation>
    </message>
    <message>
      <source>Prioritas</source>
      <translation>Priority</translation>
    </message>
    <message>
      <source>Hari ini</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>Laporan</source>
      <translation>Report</translation>
    </message>
    <message>
      <source>Pengaturan disimpan.</source>
      <translation>Settings saved.</translation>
    </message>
    <message>
      <source>GANGGUAN</source>
      <translation>FAULT</translation>
    </message>
    <message>
      <source>Belum bisa diperiksa</source>
      <translation>Could not be checked</translation>
    </message>
    <message>
      <source>menyala</source>
      <translation>on</translation>
    </message>
    <message>
      <source>tersambung</source>
      <translation>connected</translation>
    </message>
    <message>
      <source>Tiket {number} tercetak.</source>
      <translation>Ticket {number} printed.</translation>
    </message>
    <message>
      <source>pemindai USB bekerja</source>
      <translation>USB scanner working</translation>
    </message>
    <message>
      <source>Suara mati (dimatikan di pengaturan)</source>
      <translation>Sound off (switched off in the settings)</translation>
    </message>
    <message>
      <source>Suara mati: {reason}</source>
      <translation>Sound off: {reason}</translation>
    </message>
    <message>
      <source>tidak tersambung: {reason}</source>
      <translation>not connected: {reason}</translation>
    </message>
    <message>
      <source>suara tidak bisa diputar</source>
      <translation>a sound could not be played</translation>
    </message>
    <message>
      <source>tidak ada perangkat suara</source>
      <translation>no sound device</translation>
    </message>
    <message>
      <source>tidak ada kamera yang diatur; pakai pemindai USB atau ketik kodenya</source>
      <translation>no camera configured; use the USB scanner or type the code</translation>
    </message>
    <message>
      <source>belum diatur; tiket menunggu di antrean cetak</source>
      <translation>not configured; tickets wait in the print queue</translation>
    </message>
    <message>
      <source>tidak bisa dipakai ({reason}); pakai pemindai USB atau ketik kodenya</source>
      <translation>cannot be used ({reason}); use the USB scanner or type the code</translation>
    </message>
    <message>
      <source>tidak bisa dipakai ({reason}); tiket menunggu di antrean cetak</source>
      <translation>cannot be used ({reason}); tickets wait in the print queue</translation>
    </message>
    <message>
      <source>status diketahui setelah tiket pertama</source>
      <translation>status known after the first ticket</translation>
    </message>
    <message>
      <source>menyambungkan…</source>
      <translation>connecting…</translation>
    </message>
    <message>
      <source>tidak ada gambar dari {source}; mencoba lagi</source>
      <translation>no picture from {source}; trying again</translation>
    </message>
    <message>
      <source>berhenti</source>
      <translation>stopped</translation>
    </message>
    <message>
      <source>pemindai serial siap</source>
      <translation>serial scanner ready</translation>
    </message>
    <message>
      <source>menyambungkan pemindai serial…</source>
      <translation>connecting the serial scanner…</translation>
    </message>
    <message>
      <source>pemindai serial tidak terhubung; mencoba lagi ({detail})</source>
      <translation>serial scanner not connected; trying again ({detail})</translation>
    </message>
    <message>
      <source>menyiapkan printer…</source>
      <translation>preparing the printer…</translation>
    </message>
    <message>
      <source>Terjadi gangguan ({kind}). Coba lagi; bila berulang, hubungi petugas TI.</source>
      <translation>Something went wrong ({kind}). Try again; if it keeps happening, call IT.</translation>
    </message>
    <message>
      <source>Hapus</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>Hapus semua</source>
      <translation>Clear all</translation>
    </message>
    <message>
      <source>Hapus satu angka</source>
      <translation>Delete one digit</translation>
    </message>
    <message>
      <source>Ketik atau pindai kode booking, lalu Enter  (Ctrl+K)</source>
      <translation>Type or scan the booking code, then Enter  (Ctrl+K)</translation>
    </message>
    <message>
      <source>Kode booking</source>
      <translation>Booking code</translation>
    </message>
    <message>
      <source>Periksa</source>
      <translation>Check</translation>
    </message>
    <message>
      <source>Kode booking:</source>
      <translation>Booking code:</translation>
    </message>
    <message>
      <source>Antrean prioritas</source>
      <translation>Priority queue</translation>
    </message>
    <message>
      <source>Selamat datang di {office}</source>
      <translation>Welcome to {office}</translation>
    </message>
    <message>
      <source>Lansia, anak, penyandang disabilitas dan ibu hamil: sentuh kategori Anda untuk mengambil nomor antrean prioritas.</source>
      <translation>Elderly people, small children, people with disabilities and pregnant women: touch your category to take a priority queue number.</translation>
    </message>
    <message>
      <source>Kode booking terbaca. Layar ini hanya untuk antrean prioritas: silakan pindai kode Anda di meja depan.</source>
      <translation>Booking code read. This screen is for priority queue numbers only: please scan your code at the front desk.</translation>
    </message>
    <message>
      <source>Tutup layanan mandiri</source>
      <translation>Close self-service</translation>
    </message>
    <message>
      <source>Perlu PIN supervisor.</source>
      <translation>Needs the supervisor PIN.</translation>
    </message>
    <message>
      <source>Kamera</source>
      <translation>Camera</translation>
    </message>
    <message>
      <source>Pemindai</source>
      <translation>Scanner</translation>
    </message>
    <message>
      <source>Printer</source>
      <translation>Printer</translation>
    </message>
    <message>
      <source>Basis data</source>
      <translation>Database</translation>
    </message>
    <message>
      <source>Suara</source>
      <translation>Sound</translation>
    </message>
    <message>
      <source>belum aktif</source>
      <translation>not active yet</translation>
    </message>
    <message>
      <source>belum ada pindaian dari pemindai USB</source>
      <translation>no scan from a USB scanner yet</translation>
    </message>
    <message>
      <source>status belum diketahui</source>
      <translation>status not known yet</translation>
    </message>
    <message>
      <source>memeriksa sambungan…</source>
      <translation>checking the connection…</translation>
    </message>
    <message>
      <source>misalnya A042</source>
      <translation>e.g. A042</translation>
    </message>
    <message>
      <source>wajib, minimal {n} huruf</source>
      <translation>required, at least {n} letters</translation>
    </message>
    <message>
      <source>PIN supervisor:</source>
      <translation>Supervisor PIN:</translation>
    </message>
    <message>
      <source>Lanjutkan</source>
      <translation>Continue</translation>
    </message>
    <message>
      <source>Batal</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>Nomor antrean:</source>
      <translation>Queue number:</translation>
    </message>
    <message>
      <source>Alasan:</source>
      <translation>Reason:</translation>
    </message>
    <message>
      <source>Cari nomor (A042) atau kode booking…  (Ctrl+F)</source>
      <translation>Find a number (A042) or a booking code…  (Ctrl+F)</translation>
    </message>
    <message>
      <source>Muat ulang (F5)</source>
      <translation>Reload (F5)</translation>
    </message>
    <message>
      <source>Hari ini, {date} — sisa kuota prioritas {left}</source>
      <translation>Today, {date} — priority quota left {left}</translation>
    </message>
    <message>
      <source>menunggu</source>
      <translation>waiting</translation>
    </message>
    <message>
      <source>dipanggil</source>
      <translation>called</translation>
    </message>
    <message>
      <source>dilayani</source>
      <translation>serving</translation>
    </message>
    <message>
      <source>selesai</source>
      <translation>done</translation>
    </message>
    <message>
      <source>tidak hadir</source>
      <translation>no-show</translation>
    </message>
    <message>
      <source>dibatalkan</source>
      <translation>cancelled</translation>
    </message>
    <message>
      <source>dialihkan</source>
      <translation>transferred</translation>
    </message>
    <message>
      <source>Layanan</source>
      <translation>Service</translation>
    </message>
    <message>
      <source>Booking</source>
      <translation>Booked</translation>
    </message>
    <message>
      <source>Sudah check-in</source>
      <translation>Checked in</translation>
    </message>
    <message>
      <source>Hangus</source>
      <translation>Void</translation>
    </message>
    <message>
      <source>Menunggu</source>
      <translation>Waiting</translation>
    </message>
    <message>
      <source>Nomor</source>
      <translation>Number</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>State</translation>
    </message>
    <message>
      <source>Diterbitkan</source>
      <translation>Issued</translation>
    </message>
    <message>
      <source>Jadwal</source>
      <translation>Slot</translation>
    </message>
    <message>
      <source>Kategori / kode</source>
      <translation>Category / code</translation>
    </message>
    <message>
      <source>Loket</source>
      <translation>Counter</translation>
    </message>
    <message>
      <source>{n} tiket</source>
      <translation>{n} tickets</translation>
    </message>
    <message>
      <source>Tidak ada tiket yang cocok.</source>
      <translation>No ticket matches.</translation>
    </message>
    <message>
      <source>Belum ada tiket hari ini.</source>
      <translation>No tickets yet today.</translation>
    </message>
    <message>
      <source>SIAP MEMINDAI</source>
      <translation>READY TO SCAN</translation>
    </message>
    <message>
      <source>Tunjukkan kode booking</source>
      <translation>Show the booking code</translation>
    </message>
    <message>
      <source>Arahkan kode QR atau barcode ke kamera, pindai dengan pemindai, atau ketik kodenya.</source>
      <translation>Hold the QR code or barcode to the camera, scan it with the scanner, or type the code.</translation>
    </message>
    <message>
      <source>MEMERIKSA</source>
      <translation>CHECKING</translation>
    </message>
    <message>
      <source>Mohon tunggu…</source>
      <translation>Please wait…</translation>
    </message>
    <message>
      <source>KANTOR LAIN</source>
      <translation>OTHER OFFICE</translation>
    </message>
    <message>
      <source>DIBATALKAN</source>
      <translation>CANCELLED</translation>
    </message>
    <message>
      <source>TIDAK DIKENAL</source>
      <translation>UNKNOWN</translation>
    </message>
    <message>
      <source>KODE TIDAK SAH</source>
      <translation>INVALID CODE</translation>
    </message>
    <message>
      <source>Pemohon perlu datang ke kantor yang tertera pada kodenya.</source>
      <translation>The applicant must go to the office the code names.</translation>
    </message>
    <message>
      <source>Booking yang dibatalkan tidak bisa dipakai lagi; pemohon perlu booking baru.</source>
      <translation>A cancelled booking cannot be used again; the applicant needs a new booking.</translation>
    </message>
    <message>
      <source>Periksa kodenya di pesan pemohon, atau cari di tab Hari ini (F4).</source>
      <translation>Check the code in the applicant's message, or search the Today tab (F4).</translation>
    </message>
    <message>
      <source>Minta pemohon menunjukkan kode asli dari pesan kantor, lalu pindai lagi.</source>
      <translation>Ask the applicant for the original code from the office's message, then scan again.</translation>
    </message>
    <message>
      <source>Dipindai pukul {time}</source>
      <translation>Scanned at {time}</translation>
    </message>
    <message>
      <source>DITERIMA</source>
      <translation>ACCEPTED</translation>
    </message>
    <message>
      <source>Nomor antrean sedang dicetak.</source>
      <translation>The queue number is being printed.</translation>
    </message>
    <message>
      <source>TERLALU AWAL</source>
      <translation>TOO EARLY</translation>
    </message>
    <message>
      <source>Kembali pukul {time}</source>
      <translation>Come back at {time}</translation>
    </message>
    <message>
      <source>Jadwal pukul {slot}. Kode tetap berlaku.</source>
      <translation>Booked for {slot}. The code stays valid.</translation>
    </message>
    <message>
      <source>BUKAN HARI INI</source>
      <translation>NOT TODAY</translation>
    </message>
    <message>
      <source>{date}, pukul {slot}</source>
      <translation>{date}, at {slot}</translation>
    </message>
    <message>
      <source>Jadwal pemohon tanggal dan jam itu; kodenya tetap berlaku sampai saat itu.</source>
      <translation>The applicant is booked for that date and time; the code stays valid until then.</translation>
    </message>
    <message>
      <source>HANGUS</source>
      <translation>VOID (HANGUS)</translation>
    </message>
    <message>
      <source>Jadwal {slot} · batas {deadline}</source>
      <translation>Slot {slot} · deadline {deadline}</translation>
    </message>
    <message>
      <source>SUDAH CHECK-IN</source>
      <translation>ALREADY CHECKED IN</translation>
    </message>
    <message>
      <source>SALAH KETIK</source>
      <translation>MISTYPED</translation>
    </message>
    <message>
      <source>Bandingkan kode dengan pesan pemohon huruf demi huruf, lalu ketik atau pindai lagi.</source>
      <translation>Compare the code with the applicant's message letter by letter, then type or scan it again.</translation>
    </message>
    <message>
      <source>Berikutnya: supervisor dapat mengecualikan dengan PIN (F8), atau pemohon booking ulang.</source>
      <translation>Next: a supervisor can make an exception with the PIN (F8), or the applicant books again.</translation>
    </message>
    <message>
      <source>Cetak ulang (PIN supervisor) — F7</source>
      <translation>Reprint (supervisor PIN) — F7</translation>
    </message>
    <message>
      <source>Kecualikan hangus (PIN supervisor) — F8</source>
      <translation>Override void (supervisor PIN) — F8</translation>
    </message>
    <message>
      <source>Tulis tanggal lahir sebagai HH-BB-TTTT, misalnya 25-01-1987.</source>
      <translation>Write the date of birth as DD-MM-YYYY, e.g. 25-01-1987.</translation>
    </message>
    <message>
      <source>Tanggal lahir {text} tidak mungkin.</source>
      <translation>The date of birth {text} is not possible.</translation>
    </message>
    <message>
      <source>Antrean prioritas tanpa booking</source>
      <translation>Priority queue without booking</translation>
    </message>
    <message>
      <source>HH-BB-TTTT</source>
      <translation>DD-MM-YYYY</translation>
    </message>
    <message>
      <source>Tanggal lahir</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <source>Nama (boleh dikosongkan)</source>
      <translation>Name (optional)</translation>
    </message>
    <message>
      <source>Nama</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>Sisa kuota hari ini: {left} dari {total}</source>
      <translation>Quota left today: {left} of {total}</translation>
    </message>
    <message>
      <source>Tiket belum bisa dibuat: {reason}</source>
      <translation>The ticket could not be made: {reason}</translation>
    </message>
    <message>
      <source>Tanggal lahir {text} tidak ada di kalender.</source>
      <translation>The date of birth {text} is not on the calendar.</translation>
    </message>
    <message>
      <source>BELUM: sentuh di sini untuk menyatakan keterangan Anda benar</source>
      <translation>NO: touch here to declare that what you said is true</translation>
    </message>
    <message>
      <source>YA: saya menyatakan keterangan ini benar</source>
      <translation>YES: I declare that this is true</translation>
    </message>
    <message>
      <source>Pernyataan pemohon</source>
      <translation>Applicant's declaration</translation>
    </message>
    <message>
      <source>BELUM DIKONFIRMASI: petugas sudah memeriksa? Tekan Spasi</source>
      <translation>NOT CONFIRMED: has the officer checked? Press Space</translation>
    </message>
    <message>
      <source>DIKONFIRMASI: sudah diperiksa petugas</source>
      <translation>CONFIRMED: checked by the officer</translation>
    </message>
    <message>
      <source>Konfirmasi petugas</source>
      <translation>Officer's confirmation</translation>
    </message>
    <message>
      <source>Cetak tiket prioritas</source>
      <translation>Print a priority ticket</translation>
    </message>
    <message>
      <source>Kuota antrean prioritas hari ini sudah habis.</source>
      <translation>Today's priority quota is used up.</translation>
    </message>
    <message>
      <source>Memeriksa…</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <source>Nomor {number} sedang dicetak. Silakan ambil tiket dan tunggu dipanggil.</source>
      <translation>Number {number} is being printed. Please take the ticket and wait to be called.</translation>
    </message>
    <message>
      <source>Pilih kategori prioritas di atas.</source>
      <translation>Choose a priority category above.</translation>
    </message>
    <message>
      <source>Tanggal lahir (minimal {age} tahun):</source>
      <translation>Date of birth (at least {age} years old):</translation>
    </message>
    <message>
      <source>Nyalakan konfirmasi dulu (Spasi) untuk kategori {category}.</source>
      <translation>Switch the confirmation on first (Space) for the category {category}.</translation>
    </message>
    <message>
      <source>Tanggal lahir anak (di bawah {age} tahun):</source>
      <translation>Child's date of birth (younger than {age}):</translation>
    </message>
    <message>
      <source>{category}: tidak perlu tanggal lahir.</source>
      <translation>{category}: no date of birth needed.</translation>
    </message>
  </context>
  <context>
    <name>Display</name>
    <message>
      <source>pengumuman suara dimatikan (announcer.enabled = false)</source>
      <translation>the announcer is switched off (announcer.enabled = false)</translation>
    </message>
    <message>
      <source>Layar Antrean — {office}</source>
      <translation>Queue Display — {office}</translation>
    </message>
    <message>
      <source>NOMOR ANTREAN</source>
      <translation>QUEUE NUMBER</translation>
    </message>
    <message>
      <source>PANGGILAN SEBELUMNYA</source>
      <translation>PREVIOUS CALLS</translation>
    </message>
    <message>
      <source>menghubungkan ulang…</source>
      <translation>reconnecting…</translation>
    </message>
    <message>
      <source>Suara mati</source>
      <translation>Sound off</translation>
    </message>
    <message>
      <source>LOKET {counter}</source>
      <translation>COUNTER {counter}</translation>
    </message>
    <message>
      <source>{service}: {count} menunggu</source>
      <translation>{service}: {count} waiting</translation>
    </message>
    <message>
      <source>Panggilan tidak terdengar: {reason}</source>
      <translation>Calls cannot be heard: {reason}</translation>
    </message>
    <message>
      <source>Loket {counter}</source>
      <translation>Counter {counter}</translation>
    </message>
  </context>
  <context>
    <name>Import</name>
    <message>
      <source>Berkas {path} terlalu besar (paling besar {mb} MB).</source>
      <translation>File {path} is too large (at most {mb} MB).</translation>
    </message>
    <message>
      <source>Terlalu banyak baris: lebih dari {max}.</source>
      <translation>Too many rows: more than {max}.</translation>
    </message>
    <message>
      <source>JSON harus berupa daftar booking, atau objek dengan kunci "bookings".</source>
      <translation>The JSON must be a list of bookings, or an object with the key "bookings".</translation>
    </message>
    <message>
      <source>Tidak ada booking di berkas ini.</source>
      <translation>There are no bookings in this file.</translation>
    </message>
    <message>
      <source>Baris {row}: jumlah kolom tidak sama dengan judul kolom.</source>
      <translation>Row {row}: the number of columns differs from the header.</translation>
    </message>
    <message>
      <source>kolom tidak dikenal {columns}</source>
      <translation>unknown columns {columns}</translation>
    </message>
    <message>
      <source>kosong: {columns}</source>
      <translation>empty: {columns}</translation>
    </message>
    <message>
      <source>Baris {row}: {problems}.</source>
      <translation>Row {row}: {problems}.</translation>
    </message>
    <message>
      <source>kode harus 4-64 karakter yang dapat dicetak</source>
      <translation>the code must be 4-64 printable characters</translation>
    </message>
    <message>
      <source>tanggal lahir tidak sah (YYYY-MM-DD)</source>
      <translation>invalid date of birth (YYYY-MM-DD)</translation>
    </message>
    <message>
      <source>tanggal tidak sah (YYYY-MM-DD)</source>
      <translation>invalid date (YYYY-MM-DD)</translation>
    </message>
    <message>
      <source>jam tidak sah (HH:MM)</source>
      <translation>invalid time (HH:MM)</translation>
    </message>
    <message>
      <source>Berkas {path} tidak bisa dibaca: {error}</source>
      <translation>The file {path} cannot be read: {error}</translation>
    </message>
    <message>
      <source>JSON tidak sah: {error}</source>
      <translation>Invalid JSON: {error}</translation>
    </message>
    <message>
      <source>Entri {row}: harus berupa objek.</source>
      <translation>Entry {row}: must be an object.</translation>
    </message>
    <message>
      <source>Berkas kosong.</source>
      <translation>The file is empty.</translation>
    </message>
    <message>
      <source>CSV tidak sah: {error}</source>
      <translation>Invalid CSV: {error}</translation>
    </message>
    <message>
      <source>CSV tidak sah pada baris {row}: {error}</source>
      <translation>Invalid CSV at row {row}: {error}</translation>
    </message>
    <message>
      <source>kode AP1- dibuat oleh sistem ini, bukan diimpor</source>
      <translation>AP1- codes are made by this system, not imported</translation>
    </message>
    <message>
      <source>nomor harus 1-999</source>
      <translation>the number must be 1-999</translation>
    </message>
    <message>
      <source>... dan {count} baris lain.</source>
      <translation>... and {count} more rows.</translation>
    </message>
    <message>
      <source>Baris {row}: nomor {number} tanggal {date} sudah dipakai.</source>
      <translation>Row {row}: number {number} on {date} is already taken.</translation>
    </message>
    <message>
      <source>kode sama dengan baris {other}</source>
      <translation>the same code as row {other}</translation>
    </message>
    <message>
      <source>nomor {number} tanggal itu sama dengan baris {other}</source>
      <translation>number {number} on that date is the same as row {other}</translation>
    </message>
    <message>
      <source>nomor telepon tidak sah</source>
      <translation>invalid phone number</translation>
    </message>
    <message>
      <source>Baris {row}: tanggal {date} sudah lewat.</source>
      <translation>Row {row}: the date {date} has passed.</translation>
    </message>
    <message>
      <source>Baris {row}: kode {code} sudah ada dengan data lain.</source>
      <translation>Row {row}: code {code} already exists with other data.</translation>
    </message>
    <message>
      <source>Berkas {path} bukan teks UTF-8.</source>
      <translation>The file {path} is not UTF-8 text.</translation>
    </message>
    <message>
      <source>Baris {row}: nomor antrean tanggal {date} sudah habis (paling banyak {max}).</source>
      <translation>Row {row}: the queue numbers of {date} are used up (at most {max}).</translation>
    </message>
  </context>
  <context>
    <name>Intake</name>
    <message>
      <source>Booking antrean paspor</source>
      <translation>Passport queue booking</translation>
    </message>
    <message>
      <source>Nomor antrean</source>
      <translation>Queue number</translation>
    </message>
    <message>
      <source>Jam {slot}</source>
      <translation>Time {slot}</translation>
    </message>
    <message>
      <source>Datang {minutes} menit sebelum jadwal.</source>
      <translation>Arrive {minutes} minutes before your time.</translation>
    </message>
    <message>
      <source>Terlambat, kode booking hangus.</source>
      <translation>If late, the booking code is void.</translation>
    </message>
    <message>
      <source>#NAMA#TGLLAHIR#TGLKEDATANGAN (tanggal DDMMYYYY)</source>
      <translation>#NAME#BIRTHDATE#ARRIVALDATE (dates as DDMMYYYY)</translation>
    </message>
    <message>
      <source>Booking antrean paspor:
{format}
Contoh: {example}

Batalkan: #BATAL#KODEBOOKING
Lihat booking Anda: #CEK</source>
      <translation>Passport queue booking:
{format}
Example: {example}

Cancel: #BATAL#BOOKINGCODE
See your booking: #CEK</translation>
    </message>
    <message>
      <source>{head}
Kode booking: {code}
Nomor antrean: {number}
Tanggal: {date}
Jam: {slot}
Tempat: {office}

Datang {minutes} menit sebelum jadwal — terlambat, kode booking hangus.
Tunjukkan kode QR atau barcode ini di meja depan.
Lansia dan anak kecil dilayani tanpa booking.
Batalkan: #BATAL#{code}</source>
      <translation>{head}
Booking code: {code}
Queue number: {number}
Date: {date}
Time: {slot}
Place: {office}

Arrive {minutes} minutes before your time — if late, the booking code is void.
Show this QR code or barcode at the front desk.
Elderly people and small children are served without booking.
Cancel: #BATAL#{code}</translation>
    </message>
    <message>
      <source>#NAMA#TGLLAHIR#ALAMAT (tanggal DDMMYYYY), dengan foto e-KTP</source>
      <translation>#NAME#BIRTHDATE#ADDRESS (date as DDMMYYYY), with a photo of the e-KTP</translation>
    </message>
    <message>
      <source>Booking Anda:</source>
      <translation>Your booking:</translation>
    </message>
    <message>
      <source>Booking berhasil.</source>
      <translation>Booking made.</translation>
    </message>
    <message>
      <source>Format salah. Kirim: {format}
Contoh: {example}</source>
      <translation>Wrong format. Send: {format}
Example: {example}</translation>
    </message>
    <message>
      <source>Nama tidak sah: tulis 2-60 huruf (boleh spasi, titik, tanda petik, tanda hubung).
Contoh: {example}</source>
      <translation>Invalid name: write 2-60 letters (spaces, dots, apostrophes and hyphens allowed).
Example: {example}</translation>
    </message>
    <message>
      <source>Tanggal tidak sah: tulis tanggal yang ada di kalender, DDMMYYYY, misalnya 25011987.
Contoh: {example}</source>
      <translation>Invalid date: write a date that exists in the calendar, DDMMYYYY, e.g. 25011987.
Example: {example}</translation>
    </message>
    <message>
      <source>Tanggal lahir harus sebelum hari ini. Contoh: {example}</source>
      <translation>The date of birth must be before today. Example: {example}</translation>
    </message>
    <message>
      <source>Tanggal lahir lebih dari 120 tahun yang lalu. Periksa kembali tahunnya.</source>
      <translation>The date of birth is more than 120 years ago. Please check the year.</translation>
    </message>
    <message>
      <source>Tanggal kedatangan {date} sudah lewat. Pilih tanggal {first} sampai {last}.</source>
      <translation>The arrival date {date} has passed. Choose a date from {first} to {last}.</translation>
    </message>
    <message>
      <source>Booking paling cepat untuk tanggal {first}. Pilih tanggal {first} sampai {last}.</source>
      <translation>The earliest date you can book is {first}. Choose a date from {first} to {last}.</translation>
    </message>
    <message>
      <source>Tanggal {date} terlalu jauh: booking paling lambat untuk tanggal {last}.</source>
      <translation>{date} is too far ahead: the latest date you can book is {last}.</translation>
    </message>
    <message>
      <source>Tanggal {date} bukan hari layanan (libur).</source>
      <translation>{date} is not a service day (closed).</translation>
    </message>
    <message>
      <source>Kuota tanggal {date} sudah penuh dan tidak ada tanggal lain yang tersedia sampai {last}. Silakan coba lagi besok.</source>
      <translation>The quota for {date} is full and no other date is free up to {last}. Please try again tomorrow.</translation>
    </message>
    <message>
      <source>Kuota sudah penuh sampai tanggal {last}. Silakan coba lagi besok.</source>
      <translation>All dates up to {last} are full. Please try again tomorrow.</translation>
    </message>
    <message>
      <source>Pendaftaran hanya dilayani pukul {hours}. Silakan kirim ulang pada jam tersebut.</source>
      <translation>Bookings are taken only from {hours}. Please send your message again then.</translation>
    </message>
    <message>
      <source>Anda sudah punya booking aktif dengan kode {code}. Satu booking per orang. Kirim #CEK untuk melihatnya, atau #BATAL#{code} untuk membatalkan.</source>
      <translation>You already have an active booking with code {code}. One booking per person. Send #CEK to see it, or #BATAL#{code} to cancel it.</translation>
    </message>
    <message>
      <source>Alamat tidak sah: tulis alamat sesuai e-KTP (paling banyak 200 karakter).
Contoh: {example}</source>
      <translation>Invalid address: write the address on your e-KTP (at most 200 characters).
Example: {example}</translation>
    </message>
    <message>
      <source>Foto e-KTP belum ada. Kirim foto e-KTP dengan keterangan (caption): {example}</source>
      <translation>The e-KTP photo is missing. Send a photo of your e-KTP with the caption: {example}</translation>
    </message>
    <message>
      <source>Untuk membatalkan, kirim: #BATAL#KODEBOOKING</source>
      <translation>To cancel, send: #BATAL#BOOKINGCODE</translation>
    </message>
    <message>
      <source>Booking {code} sudah dibatalkan.</source>
      <translation>Booking {code} has been cancelled.</translation>
    </message>
    <message>
      <source>Kode booking {code} tidak ditemukan untuk nomor ini.</source>
      <translation>Booking code {code} was not found for this number.</translation>
    </message>
    <message>
      <source>Booking {code} tidak bisa dibatalkan lagi (sudah dibatalkan, sudah check-in atau hangus).</source>
      <translation>Booking {code} can no longer be cancelled (already cancelled, checked in or void).</translation>
    </message>
    <message>
      <source>Tidak ada booking aktif untuk nomor ini.

{help}</source>
      <translation>There is no active booking for this number.

{help}</translation>
    </message>
    <message>
      <source>Pesan jenis ini tidak dapat diproses. Kirim pesan teks.

{help}</source>
      <translation>Messages of this kind cannot be processed. Please send a text message.

{help}</translation>
    </message>
    <message>
      <source>Tanggal {date} bukan hari layanan (libur). Tanggal layanan terdekat yang masih tersedia: {next}.</source>
      <translation>{date} is not a service day (closed). The nearest service day still free: {next}.</translation>
    </message>
    <message>
      <source>Kuota tanggal {date} sudah penuh. Tanggal terdekat yang masih tersedia: {next}. Kirim ulang dengan tanggal itu.</source>
      <translation>The quota for {date} is full. The nearest date still free: {next}. Send your message again with that date.</translation>
    </message>
  </context>
  <context>
    <name>Keys</name>
    <message>
      <source>tidak ada kunci {key_id} di {path}</source>
      <translation>no key {key_id} in {path}</translation>
    </message>
    <message>
      <source>tidak ada kunci kode booking yang aktif di {path}; jalankan `keys rotate` untuk membuatnya</source>
      <translation>no active booking-code key in {path}; run `keys rotate` to create one</translation>
    </message>
    <message>
      <source>berkas kunci kode booking tidak ditemukan: {path} (hanya dibuat oleh `init` atau `keys rotate`; salin dari PC pertama kantor)</source>
      <translation>booking-code key file not found: {path} (it is created only by `init` or `keys rotate`; copy it from the office's first PC)</translation>
    </message>
    <message>
      <source>berkas kunci kode booking {path} rusak ({error})</source>
      <translation>booking-code key file {path} is damaged ({error})</translation>
    </message>
    <message>
      <source>berkas kunci kode booking {path} muncul saat sedang dibuat</source>
      <translation>booking-code key file {path} appeared while creating it</translation>
    </message>
  </context>
  <context>
    <name>Names</name>
    <message>
      <source>Lansia</source>
      <translation>Elderly (lansia)</translation>
    </message>
    <message>
      <source>Anak</source>
      <translation>Small child</translation>
    </message>
    <message>
      <source>Disabilitas</source>
      <translation>Disability</translation>
    </message>
    <message>
      <source>Ibu hamil</source>
      <translation>Pregnant woman</translation>
    </message>
    <message>
      <source>Paspor (booking online)</source>
      <translation>Passport (online booking)</translation>
    </message>
    <message>
      <source>Prioritas</source>
      <translation>Priority</translation>
    </message>
  </context>
  <context>
    <name>Nudge</name>
    <message>
      <source>Giliran Anda hampir tiba: nomor antrean {number}, {ahead} orang lagi di depan Anda. Mohon bersiap di ruang tunggu.</source>
      <translation>Your turn is near: queue number {number}, {ahead} more people ahead of you. Please be ready in the waiting room.</translation>
    </message>
  </context>
  <context>
    <name>Printer</name>
    <message>
      <source>Printer siap</source>
      <translation>Printer ready</translation>
    </message>
    <message>
      <source>Printer tidak terhubung atau mati</source>
      <translation>Printer not connected or switched off</translation>
    </message>
    <message>
      <source>Kertas printer habis</source>
      <translation>Printer out of paper</translation>
    </message>
    <message>
      <source>Tutup printer terbuka</source>
      <translation>Printer cover open</translation>
    </message>
    <message>
      <source>Printer mengalami gangguan</source>
      <translation>Printer error</translation>
    </message>
    <message>
      <source>Status printer tidak diketahui</source>
      <translation>Printer status unknown</translation>
    </message>
    <message>
      <source> (kertas hampir habis)</source>
      <translation> (paper running low)</translation>
    </message>
  </context>
  <context>
    <name>Report</name>
    <message>
      <source>menit</source>
      <translation>min</translation>
    </message>
    <message>
      <source>orang</source>
      <translation>people</translation>
    </message>
    <message>
      <source>jam</source>
      <translation>hour</translation>
    </message>
    <message>
      <source>Waktu tunggu menurut jam kedatangan</source>
      <translation>Waiting time by hour of arrival</translation>
    </message>
    <message>
      <source>Kedatangan dan panggilan per jam</source>
      <translation>Arrivals and calls per hour</translation>
    </message>
    <message>
      <source>rata-rata</source>
      <translation>average</translation>
    </message>
    <message>
      <source>terlama</source>
      <translation>longest</translation>
    </message>
    <message>
      <source>kedatangan</source>
      <translation>arrivals</translation>
    </message>
    <message>
      <source>panggilan</source>
      <translation>calls</translation>
    </message>
    <message>
      <source>Kantor</source>
      <translation>Office</translation>
    </message>
    <message>
      <source>Tanggal</source>
      <translation>Date</translation>
    </message>
    <message>
      <source>{report} · halaman {page} dari {pages}</source>
      <translation>{report} · page {page} of {pages}</translation>
    </message>
    <message>
      <source>Grafik per jam</source>
      <translation>Charts by hour</translation>
    </message>
    <message>
      <source>Belum ada data.</source>
      <translation>No data yet.</translation>
    </message>
    <message>
      <source>Belum ada kedatangan.</source>
      <translation>No arrivals yet.</translation>
    </message>
    <message>
      <source>Laporan harian {office}</source>
      <translation>Daily report {office}</translation>
    </message>
    <message>
      <source>{day}, sepanjang hari</source>
      <translation>{day}, whole day</translation>
    </message>
    <message>
      <source>rata-rata {days} hari kerja sebelumnya: {count} tiket</source>
      <translation>average of the {days} working days before: {count} tickets</translation>
    </message>
    <message>
      <source>{subject} sama ({base}).</source>
      <translation>{subject} unchanged ({base}).</translation>
    </message>
    <message>
      <source>{day}, keadaan pukul {time}</source>
      <translation>{day}, as of {time}</translation>
    </message>
    <message>
      <source>Tidak ada tren: tanggal ini bukan hari layanan.</source>
      <translation>No trend: this date is not a service day.</translation>
    </message>
    <message>
      <source>Tiket sampai pukul {time}</source>
      <translation>Tickets by {time}</translation>
    </message>
    <message>
      <source>Tiket</source>
      <translation>Tickets</translation>
    </message>
    <message>
      <source>Belum ada pembanding: tidak ada tiket pada hari pembanding.</source>
      <translation>Nothing to compare with: no tickets on the day compared.</translation>
    </message>
    <message>
      <source>{day}: {count} tiket</source>
      <translation>{day}: {count} tickets</translation>
    </message>
    <message>
      <source>{subject} sama dengan minggu lalu ({base}).</source>
      <translation>{subject} the same as last week ({base}).</translation>
    </message>
    <message>
      <source>{subject} naik {percent}% ({base}).</source>
      <translation>{subject} up {percent}% ({base}).</translation>
    </message>
    <message>
      <source>{subject} turun {percent}% ({base}).</source>
      <translation>{subject} down {percent}% ({base}).</translation>
    </message>
    <message>
      <source>Ringkasan hari</source>
      <translation>The day at a glance</translation>
    </message>
    <message>
      <source>{subject} naik {percent}% dari minggu lalu ({base}).</source>
      <translation>{subject} up {percent}% on last week ({base}).</translation>
    </message>
    <message>
      <source>{subject} turun {percent}% dari minggu lalu ({base}).</source>
      <translation>{subject} down {percent}% on last week ({base}).</translation>
    </message>
    <message>
      <source>Per layanan</source>
      <translation>By service</translation>
    </message>
    <message>
      <source>Per jam</source>
      <translation>By hour</translation>
    </message>
    <message>
      <source>Per loket</source>
      <translation>By counter (loket)</translation>
    </message>
    <message>
      <source>Prioritas per kategori</source>
      <translation>Priority by category</translation>
    </message>
    <message>
      <source>{count} hari kerja terakhir</source>
      <translation>The last {count} working days</translation>
    </message>
    <message>
      <source>Booking untuk hari ini</source>
      <translation>Bookings for the day</translation>
    </message>
    <message>
      <source>Datang (tiket diambil)</source>
      <translation>Arrived (ticket issued)</translation>
    </message>
    <message>
      <source>Dilayani</source>
      <translation>Served</translation>
    </message>
    <message>
      <source>Hangus (datang terlambat)</source>
      <translation>Void (hangus: came too late)</translation>
    </message>
    <message>
      <source>Datang terlalu awal (orang)</source>
      <translation>Came too early (people)</translation>
    </message>
    <message>
      <source>Tidak datang (jendela kedatangan sudah tutup)</source>
      <translation>Did not come (arrival window closed)</translation>
    </message>
    <message>
      <source>Dipanggil, tidak hadir di loket</source>
      <translation>Called, did not come to the counter</translation>
    </message>
    <message>
      <source>Booking dibatalkan</source>
      <translation>Bookings cancelled</translation>
    </message>
    <message>
      <source>Kuota prioritas terpakai</source>
      <translation>Priority quota used</translation>
    </message>
    <message>
      <source>{used} dari {quota}</source>
      <translation>{used} of {quota}</translation>
    </message>
    <message>
      <source>Keterangan</source>
      <translation>Figure</translation>
    </message>
    <message>
      <source>Jumlah</source>
      <translation>Number</translation>
    </message>
    <message>
      <source>Layanan</source>
      <translation>Service</translation>
    </message>
    <message>
      <source>Tunggu rata-rata ({unit})</source>
      <translation>Average wait ({unit})</translation>
    </message>
    <message>
      <source>Tunggu median ({unit})</source>
      <translation>Median wait ({unit})</translation>
    </message>
    <message>
      <source>Tunggu p90 ({unit})</source>
      <translation>p90 wait ({unit})</translation>
    </message>
    <message>
      <source>Waktu layanan rata-rata ({unit})</source>
      <translation>Average service time ({unit})</translation>
    </message>
    <message>
      <source>Tunggu: dari tiket diambil sampai panggilan pertama. Waktu layanan: dari panggilan terakhir sampai selesai.</source>
      <translation>Wait: from the ticket being issued to the first call. Service time: from the last call to done.</translation>
    </message>
    <message>
      <source>p90: sembilan dari sepuluh orang menunggu paling lama selama itu.</source>
      <translation>p90: nine people in ten waited at most this long.</translation>
    </message>
    <message>
      <source>Jam</source>
      <translation>Hour</translation>
    </message>
    <message>
      <source>Kedatangan</source>
      <translation>Arrivals</translation>
    </message>
    <message>
      <source>Panggilan</source>
      <translation>Calls</translation>
    </message>
    <message>
      <source>Tunggu terlama ({unit})</source>
      <translation>Longest wait ({unit})</translation>
    </message>
    <message>
      <source>Tunggu menurut jam kedatangan, bagi yang sudah dipanggil.</source>
      <translation>Waits by hour of arrival, for those already called.</translation>
    </message>
    <message>
      <source>Loket</source>
      <translation>Loket (counter)</translation>
    </message>
    <message>
      <source>Waktu layanan p90 ({unit})</source>
      <translation>p90 service time ({unit})</translation>
    </message>
    <message>
      <source>Waktu menganggur ({unit})</source>
      <translation>Idle time ({unit})</translation>
    </message>
    <message>
      <source>Waktu menganggur: antara panggilan pertama dan tiket terakhir loket itu, saat tidak ada pemohon di loket.</source>
      <translation>Idle time: between the counter's first call and its last ticket, while nobody was at the counter.</translation>
    </message>
    <message>
      <source>Kategori</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>Hari tanpa layanan dan hari libur kantor tidak dihitung.</source>
      <translation>Days without service and office holidays are left out.</translation>
    </message>
    <message>
      <source>Menunggu sekarang</source>
      <translation>Waiting now</translation>
    </message>
    <message>
      <source>Masih menunggu di akhir hari</source>
      <translation>Still waiting at the end of the day</translation>
    </message>
    <message>
      <source>Belum datang, masih bisa check-in</source>
      <translation>Not here yet, can still check in</translation>
    </message>
    <message>
      <source>Loket {counter}</source>
      <translation>Loket {counter}</translation>
    </message>
    <message>
      <source>Tampilkan</source>
      <translation>Show</translation>
    </message>
    <message>
      <source>Simpan laporan</source>
      <translation>Save report</translation>
    </message>
    <message>
      <source>Tanggal:</source>
      <translation>Date:</translation>
    </message>
    <message>
      <source>Simpan CSV</source>
      <translation>Save CSV</translation>
    </message>
    <message>
      <source>Simpan HTML</source>
      <translation>Save HTML</translation>
    </message>
    <message>
      <source>Simpan PDF</source>
      <translation>Save PDF</translation>
    </message>
    <message>
      <source>Laporan tidak dapat dibuat: {error}</source>
      <translation>The report could not be made: {error}</translation>
    </message>
    <message>
      <source>Tidak dapat menyimpan: {error}</source>
      <translation>Could not save: {error}</translation>
    </message>
  </context>
  <context>
    <name>Settings</name>
    <message>
      <source>Tidak disimpan: {label} — {expected} (tertulis: {value}).</source>
      <translation>Not saved: {label} — {expected} (entered: {value}).</translation>
    </message>
    <message>
      <source>Tidak disimpan: {error}</source>
      <translation>Not saved: {error}</translation>
    </message>
    <message>
      <source>tidak ada izin</source>
      <translation>permission denied</translation>
    </message>
    <message>
      <source>disk penuh</source>
      <translation>disk full</translation>
    </message>
    <message>
      <source>disk hanya-baca</source>
      <translation>read-only disk</translation>
    </message>
    <message>
      <source>folder tidak ada</source>
      <translation>folder missing</translation>
    </message>
    <message>
      <source>Pengaturan</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>Tes printer</source>
      <translation>Test printer</translation>
    </message>
    <message>
      <source>Tes kamera</source>
      <translation>Test camera</translation>
    </message>
    <message>
      <source>Pakai layar ini untuk display</source>
      <translation>Use this screen for the display</translation>
    </message>
    <message>
      <source>Simpan</source>
      <translation>Save</translation>
    </message>
    <message>
      <source>Batal</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>Tanda * : perubahan berlaku setelah aplikasi dimulai ulang.</source>
      <translation>Marked * : the change takes effect after the application is restarted.</translation>
    </message>
    <message>
      <source>Layar display:</source>
      <translation>Display screen:</translation>
    </message>
    <message>
      <source>Tidak disimpan: tidak ada berkas konfigurasi.</source>
      <translation>Not saved: there is no configuration file.</translation>
    </message>
    <message>
      <source>Disimpan. Mulai ulang aplikasi agar berlaku: {keys}</source>
      <translation>Saved. Restart the application for these to take effect: {keys}</translation>
    </message>
    <message>
      <source>Tidak disimpan: berkas konfigurasi {path} tidak dapat ditulis ({reason}).</source>
      <translation>Not saved: the configuration file {path} cannot be written ({reason}).</translation>
    </message>
    <message>
      <source>Tidak disimpan: perubahan tidak dapat dicatat di basis data; coba lagi.</source>
      <translation>Not saved: the change could not be recorded in the database; try again.</translation>
    </message>
    <message>
      <source>{status}. Halaman tes dikirim ke antrean cetak (job {job}).</source>
      <translation>{status}. A test page was queued for printing (job {job}).</translation>
    </message>
    <message>
      <source>Printer gagal: printer tidak dapat disiapkan dengan pengaturan ini ({kind}).</source>
      <translation>Printer failed: the printer cannot be set up with these settings ({kind}).</translation>
    </message>
    <message>
      <source>Kamera gagal: {error}</source>
      <translation>Camera failed: {error}</translation>
    </message>
    <message>
      <source>Layar display tidak disimpan; coba lagi.</source>
      <translation>The display screen was not saved; try again.</translation>
    </message>
    <message>
      <source>Kamera OK: {w}×{h}</source>
      <translation>Camera OK: {w}×{h}</translation>
    </message>
    <message>
      <source>sumber kamera kosong (tanpa kamera)</source>
      <translation>the camera source is empty (no camera)</translation>
    </message>
    <message>
      <source>kamera {source} tidak dapat dibuka</source>
      <translation>camera {source} cannot be opened</translation>
    </message>
    <message>
      <source>Display akan memakai layar {name}.</source>
      <translation>The display will use screen {name}.</translation>
    </message>
    <message>
      <source>tidak ada gambar dari {source}</source>
      <translation>no picture from {source}</translation>
    </message>
  </context>
  <context>
    <name>SettingsCheck</name>
    <message>
      <source>teks</source>
      <translation>text</translation>
    </message>
    <message>
      <source>harus {type}, ditulis seperti {example}</source>
      <translation>expected {type}, written like {example}</translation>
    </message>
    <message>
      <source>daftar {item}</source>
      <translation>list of {item}</translation>
    </message>
    <message>
      <source>tabel {key} → {value}</source>
      <translation>table of {key} → {value}</translation>
    </message>
    <message>
      <source>bilangan bulat</source>
      <translation>whole number</translation>
    </message>
    <message>
      <source>angka</source>
      <translation>number</translation>
    </message>
    <message>
      <source>benar/salah</source>
      <translation>yes/no</translation>
    </message>
    <message>
      <source>harus {type}</source>
      <translation>expected {type}</translation>
    </message>
    <message>
      <source>kosong</source>
      <translation>empty</translation>
    </message>
    <message>
      <source>harus 2-5 huruf besar atau angka, mis. JKP</source>
      <translation>expected 2-5 upper-case letters or digits, e.g. JKP</translation>
    </message>
    <message>
      <source>harus diisi</source>
      <translation>must not be empty</translation>
    </message>
    <message>
      <source>harus zona waktu IANA seperti Asia/Jakarta, Asia/Makassar atau Asia/Jayapura</source>
      <translation>expected an IANA time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura</translation>
    </message>
    <message>
      <source>harus bilangan bulat dari {low} sampai {high} menit</source>
      <translation>expected a whole number of minutes from {low} to {high}</translation>
    </message>
    <message>
      <source>harus bilangan bulat dari {low} sampai {high}</source>
      <translation>expected a whole number from {low} to {high}</translation>
    </message>
    <message>
      <source>harus satu huruf besar, mis. A</source>
      <translation>expected one upper-case letter, e.g. A</translation>
    </message>
    <message>
      <source>harus tabel kode kantor (2-5 huruf besar atau angka) = nama kantor, mis. { BDG = "Kantor Imigrasi Bandung" }</source>
      <translation>expected a table of office code (2-5 upper-case letters or digits) = office name, e.g. { BDG = "Kantor Imigrasi Bandung" }</translation>
    </message>
    <message>
      <source>harus berisi paling sedikit satu layanan</source>
      <translation>expected at least one service</translation>
    </message>
    <message>
      <source>harus tabel satu huruf besar = nama, mis. { A = "Paspor (booking online)" }</source>
      <translation>expected a table of one upper-case letter = name, e.g. { A = "Paspor (booking online)" }</translation>
    </message>
    <message>
      <source>harus berisi paling sedikit satu loket</source>
      <translation>expected at least one counter</translation>
    </message>
    <message>
      <source>harus nomor loket 1-99 dengan layanannya berurutan, mis. { "1" = ["B", "A"] }</source>
      <translation>expected counter numbers 1-99 with their services in order, e.g. { "1" = ["B", "A"] }</translation>
    </message>
    <message>
      <source>setiap loket harus berisi huruf layanan yang berbeda, berurutan, mis. ["A", "B"]</source>
      <translation>expected each counter to hold distinct service letters in order, e.g. ["A", "B"]</translation>
    </message>
    <message>
      <source>harus kosong (SQLite di folder data), "sqlite:///PATH" atau "postgresql+psycopg://user@host/db"</source>
      <translation>expected empty (SQLite in the data folder), "sqlite:///PATH" or "postgresql+psycopg://user@host/db"</translation>
    </message>
    <message>
      <source>harus daftar yang diambil dari lansia, anak, disabilitas, ibu_hamil</source>
      <translation>expected a list drawn from lansia, anak, disabilitas, ibu_hamil</translation>
    </message>
    <message>
      <source>harus jam dalam bentuk HH:MM, mis. 08:00</source>
      <translation>expected a time as HH:MM, e.g. 08:00</translation>
    </message>
    <message>
      <source>harus kosong (kapan saja) atau "HH:MM-HH:MM" dengan awal sebelum akhir, mis. "07:30-10:00"</source>
      <translation>expected empty (any time) or "HH:MM-HH:MM" with the start before the end, e.g. "07:30-10:00"</translation>
    </message>
    <message>
      <source>harus daftar yang tidak kosong dari mon, tue, wed, thu, fri, sat, sun</source>
      <translation>expected a non-empty list drawn from mon, tue, wed, thu, fri, sat, sun</translation>
    </message>
    <message>
      <source>harus daftar tanggal YYYY-MM-DD, mis. ["2026-12-25"]</source>
      <translation>expected a list of dates as YYYY-MM-DD, e.g. ["2026-12-25"]</translation>
    </message>
    <message>
      <source>harus alamat untuk didengarkan, mis. 127.0.0.1</source>
      <translation>expected an address to listen on, e.g. 127.0.0.1</translation>
    </message>
    <message>
      <source>harus path URL yang diawali /, mis. /webhook</source>
      <translation>expected a URL path starting with /, e.g. /webhook</translation>
    </message>
    <message>
      <source>harus URL http(s)</source>
      <translation>expected an http(s) URL</translation>
    </message>
    <message>
      <source>harus angka dari 0.0 (senyap) sampai 1.0 (volume penuh)</source>
      <translation>expected a number from 0.0 (silent) to 1.0 (full volume)</translation>
    </message>
    <message>
      <source>harus {low} sampai {high} detik</source>
      <translation>expected {low} to {high} seconds</translation>
    </message>
    <message>
      <source>harus id (Bahasa Indonesia) atau en (English)</source>
      <translation>expected id (Bahasa Indonesia) or en (English)</translation>
    </message>
    <message>
      <source>harus salah satu dari {choices}</source>
      <translation>expected one of {choices}</translation>
    </message>
    <message>
      <source>harus paling banyak {most} karakter yang dapat dicetak, tanpa spasi</source>
      <translation>expected at most {most} printable characters, no spaces</translation>
    </message>
    <message>
      <source>harus daftar pembaca yang berbeda dari {choices}, yang pertama dicoba lebih dahulu</source>
      <translation>expected a list of distinct decoders from {choices}, first tried first</translation>
    </message>
    <message>
      <source>harus kecepatan baud standar: {choices}</source>
      <translation>expected a standard baud rate: {choices}</translation>
    </message>
    <message>
      <source>harus profil printer python-escpos seperti TM-T20II (80 mm) atau POS-5890 (58 mm); daftarnya ada di docs/printing.md</source>
      <translation>expected a python-escpos printer profile such as TM-T20II (80 mm) or POS-5890 (58 mm); the list is in docs/printing.md</translation>
    </message>
    <message>
      <source>harus kosong (mati) atau alamat yang dipakai ponsel dan TV, mis. http://192.168.1.10:8089</source>
      <translation>expected empty (off) or the address phones and TVs use, e.g. http://192.168.1.10:8089</translation>
    </message>
    <message>
      <source>harus 0, 58 atau 80</source>
      <translation>expected 0, 58 or 80</translation>
    </message>
    <message>
      <source>harus 9600, 19200, 38400, 57600 atau 115200</source>
      <translation>expected 9600, 19200, 38400, 57600 or 115200</translation>
    </message>
    <message>
      <source>harus paling banyak 40 huruf, angka, '.', '_' atau '-'</source>
      <translation>expected up to 40 letters, digits, '.', '_' or '-'</translation>
    </message>
    <message>
      <source>harus nama template dari huruf kecil, angka dan _</source>
      <translation>expected a template name of lower-case letters, digits and _</translation>
    </message>
    <message>
      <source>harus kode bahasa WhatsApp seperti id atau en_US</source>
      <translation>expected a WhatsApp language code such as id or en_US</translation>
    </message>
    <message>
      <source>harus salah satu layanan di {other}: {services}</source>
      <translation>expected one of the services in {other}: {services}</translation>
    </message>
    <message>
      <source>harus huruf lain daripada {other}</source>
      <translation>expected a letter other than {other}</translation>
    </message>
    <message>
      <source>setiap loket hanya boleh memakai layanan di {other}: {services}</source>
      <translation>expected each counter to use only the services in {other}: {services}</translation>
    </message>
    <message>
      <source>tidak boleh sebelum {other} = {value}</source>
      <translation>expected a time not before {other} = {value}</translation>
    </message>
    <message>
      <source>harus paling sedikit {other} = {value} hari</source>
      <translation>expected at least {other} = {value} days</translation>
    </message>
    <message>
      <source>harus diisi bila {other} = cloud_api</source>
      <translation>must be set when {other} = cloud_api</translation>
    </message>
    <message>
      <source>harus diisi bila {other} = {transport}</source>
      <translation>must be set when {other} = {transport}</translation>
    </message>
    <message>
      <source>harus 58 atau 80: {other} {profile} tidak menyebut lebar kertasnya</source>
      <translation>expected 58 or 80: {other} {profile} does not say its paper width</translation>
    </message>
    <message>
      <source>harus lebih dari {other} = {value} menit</source>
      <translation>expected more than {other} = {value} minutes</translation>
    </message>
  </context>
  <context>
    <name>SettingsGroup</name>
    <message>
      <source>Kantor</source>
      <translation>Office</translation>
    </message>
    <message>
      <source>Antrean</source>
      <translation>Queue</translation>
    </message>
    <message>
      <source>Jadwal kedatangan</source>
      <translation>Arrival times</translation>
    </message>
    <message>
      <source>Prioritas</source>
      <translation>Priority</translation>
    </message>
    <message>
      <source>Booking dan slot</source>
      <translation>Bookings and slots</translation>
    </message>
    <message>
      <source>WhatsApp</source>
      <translation>WhatsApp</translation>
    </message>
    <message>
      <source>Printer</source>
      <translation>Printer</translation>
    </message>
    <message>
      <source>Kamera dan pemindai</source>
      <translation>Camera and scanner</translation>
    </message>
    <message>
      <source>Meja depan</source>
      <translation>Front desk</translation>
    </message>
    <message>
      <source>Layar tunggu dan suara</source>
      <translation>Waiting-room display and sound</translation>
    </message>
    <message>
      <source>Web</source>
      <translation>Web</translation>
    </message>
    <message>
      <source>Privasi</source>
      <translation>Privacy</translation>
    </message>
    <message>
      <source>Sistem</source>
      <translation>System</translation>
    </message>
  </context>
  <context>
    <name>SettingsHelp</name>
    <message>
      <source>Kode kantor, 2-5 huruf besar atau angka; bagian dari setiap kode booking.</source>
      <translation>Office code, 2-5 upper-case letters or digits; part of every booking code.</translation>
    </message>
    <message>
      <source>Nama kantor yang tercetak di tiket dan tampil di layar tunggu.</source>
      <translation>Office name shown on tickets and the display.</translation>
    </message>
    <message>
      <source>Zona waktu IANA kantor (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).</source>
      <translation>IANA timezone of the office (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).</translation>
    </message>
    <message>
      <source>Nama kantor lain menurut kodenya, mis. { BDG = "Kantor Imigrasi Bandung" }: kode booking kantor lain lalu disebut dengan namanya.</source>
      <translation>Names of other offices by their code, e.g. { BDG = "Kantor Imigrasi Bandung" }: a code of another office then names it.</translation>
    </message>
    <message>
      <source>Huruf layanan untuk pemohon yang booking (online); diurutkan menurut slot, lalu nomor.</source>
      <translation>Service letter of booked (online) applicants; ordered by slot, then number.</translation>
    </message>
    <message>
      <source>Huruf layanan untuk pemohon prioritas yang datang langsung; yang datang dahulu dilayani dahulu.</source>
      <translation>Service letter of walk-in priority applicants; first come, first served.</translation>
    </message>
    <message>
      <source>Nama setiap layanan menurut hurufnya.</source>
      <translation>Name of each service by its letter.</translation>
    </message>
    <message>
      <source>Loket menurut nomornya, masing-masing dengan layanan yang dilayaninya, pilihan pertama lebih dahulu.</source>
      <translation>Counters (loket) by number, each with the services it serves, first choice first.</translation>
    </message>
    <message>
      <source>Berapa menit sebelum slot kode booking mulai diterima.</source>
      <translation>Minutes before the slot from which a booking code is accepted.</translation>
    </message>
    <message>
      <source>Berapa menit sebelum slot pemohon paling lambat dipindai; lewat dari itu kodenya hangus.</source>
      <translation>Minutes before the slot by which the applicant must be scanned; later, the code is void (hangus).</translation>
    </message>
    <message>
      <source>Kategori prioritas yang ditawarkan di meja depan untuk pemohon yang datang langsung.</source>
      <translation>Walk-in priority categories offered at the desk.</translation>
    </message>
    <message>
      <source>Usia minimum dalam tahun untuk kategori lansia.</source>
      <translation>Minimum age in years for the lansia (elderly) category.</translation>
    </message>
    <message>
      <source>Kategori anak (anak kecil) untuk anak yang lebih muda dari usia ini.</source>
      <translation>The anak (small child) category is for children younger than this.</translation>
    </message>
    <message>
      <source>Tiket prioritas untuk pemohon yang datang langsung per hari.</source>
      <translation>Priority walk-in tickets per day.</translation>
    </message>
    <message>
      <source>Hari dalam seminggu yang ada layanan (mon, tue, wed, thu, fri, sat, sun).</source>
      <translation>Days of the week with service.</translation>
    </message>
    <message>
      <source>Tanggal tutup (YYYY-MM-DD): tidak ada booking untuk tanggal itu.</source>
      <translation>Closed dates (YYYY-MM-DD): no bookings are made for them.</translation>
    </message>
    <message>
      <source>Jam slot pertama dalam sehari.</source>
      <translation>Time of the first slot of the day.</translation>
    </message>
    <message>
      <source>Jam slot terakhir dalam sehari.</source>
      <translation>Time of the last slot of the day.</translation>
    </message>
    <message>
      <source>Menit antara dua slot.</source>
      <translation>Minutes between slots.</translation>
    </message>
    <message>
      <source>Jumlah booking per slot.</source>
      <translation>Bookings per slot.</translation>
    </message>
    <message>
      <source>Jumlah booking per hari layanan.</source>
      <translation>Bookings per service day.</translation>
    </message>
    <message>
      <source>Tanggal paling awal yang bisa dibooking, dalam hari setelah hari ini (0 = hari ini).</source>
      <translation>The earliest bookable date, in days after today (0 = today).</translation>
    </message>
    <message>
      <source>Tanggal paling akhir yang bisa dibooking, dalam hari setelah hari ini.</source>
      <translation>The latest bookable date, in days after today.</translation>
    </message>
    <message>
      <source>Jam pesan booking diterima, mis. "07:30-10:00" (waktu kantor). Kosong: kapan saja.</source>
      <translation>Hours in which booking messages are taken, e.g. "07:30-10:00" (office time). Empty: any time.</translation>
    </message>
    <message>
      <source>Format booking WhatsApp: date = #NAMA#DDMMYYYY#DDMMYYYY (pemohon meminta tanggal); address = #NAMA#DDMMYYYY#ALAMAT ditambah foto e-KTP (kantor yang menentukan tanggal, seperti di Batam).</source>
      <translation>WhatsApp booking format: date = #NAMA#DDMMYYYY#DDMMYYYY (the applicant asks a date); address = #NAMA#DDMMYYYY#ALAMAT plus an e-KTP photo (the office assigns the date, as Batam did).</translation>
    </message>
    <message>
      <source>Ke mana balasan pergi: outbox = hanya tabel outbox dan log; TIDAK ADA yang dikirim dan tidak ada pemohon yang mendapat jawaban (untuk uji coba); cloud_api = WhatsApp Cloud API.</source>
      <translation>Where replies go: outbox = the outbox table and the log only; NOTHING is sent and no applicant gets an answer (for trials); cloud_api = the WhatsApp Cloud API.</translation>
    </message>
    <message>
      <source>ID nomor telepon Cloud API untuk nomor WhatsApp kantor.</source>
      <translation>The Cloud API phone-number id of the office's WhatsApp number.</translation>
    </message>
    <message>
      <source>URL dasar WhatsApp Cloud API.</source>
      <translation>Base URL of the WhatsApp Cloud API.</translation>
    </message>
    <message>
      <source>Berkas JSON (hanya pemilik) berisi app_secret, verify_token dan access_token WhatsApp. Kosong: whatsapp.json di folder data.</source>
      <translation>JSON file (owner-only) with the WhatsApp app_secret, verify_token and access_token. Empty: whatsapp.json in the data folder.</translation>
    </message>
    <message>
      <source>Tiket dari booking WhatsApp mendapat satu pesan "Giliran Anda hampir tiba" saat tinggal sekian orang di depannya (0 = mati).</source>
      <translation>WhatsApp-booked tickets get one "your turn is near" message when this many people are ahead of them (0 = off).</translation>
    </message>
    <message>
      <source>Nama template pesan WhatsApp yang disetujui untuk pesan itu (di luar jendela 24 jam hanya template yang boleh dikirim); isinya memuat nomor tiket dan jumlah orang di depan, tidak pernah nama.</source>
      <translation>Name of the approved WhatsApp message template for that message (outside the 24-hour window only templates may be sent); its body takes the ticket number and the people ahead, never the name.</translation>
    </message>
    <message>
      <source>Kode bahasa template itu sesuai persetujuannya, mis. id atau en_US.</source>
      <translation>Language code of that template as approved, e.g. id or en_US.</translation>
    </message>
    <message>
      <source>`wa-server` mencoba ulang balasan yang belum terkirim (menunggu atau gagal) dengan jeda yang makin panjang; setelah sekian menit balasan dilepas (tercatat di audit).</source>
      <translation>`wa-server` retries unsent replies (queued or failed) with growing pauses; after this many minutes a reply is given up (audited).</translation>
    </message>
    <message>
      <source>Alamat yang didengarkan `wa-server` (pasang reverse proxy TLS di depannya sebelum membukanya ke internet).</source>
      <translation>Address `wa-server` listens on (put a TLS reverse proxy in front before opening it to the internet).</translation>
    </message>
    <message>
      <source>Port yang didengarkan `wa-server`.</source>
      <translation>Port `wa-server` listens on.</translation>
    </message>
    <message>
      <source>Path URL webhook WhatsApp.</source>
      <translation>URL path of the WhatsApp webhook.</translation>
    </message>
    <message>
      <source>Berapa detik sebuah koneksi boleh mengirim header permintaannya (dan boleh diam di antara permintaan) sebelum diputus.</source>
      <translation>Seconds a connection may take to send its request headers (and may stay idle between requests) before it is dropped.</translation>
    </message>
    <message>
      <source>Berapa detik sebuah POST boleh mengirim isinya sebelum dijawab 408 dan diputus.</source>
      <translation>Seconds a POST may take to send its body before it is answered 408 and dropped.</translation>
    </message>
    <message>
      <source>Koneksi terbuka yang dipertahankan `wa-server`; pada batas ini koneksi tertua diputus untuk yang baru (yang macet adalah yang tertua). Diturunkan agar muat dalam batas berkas proses.</source>
      <translation>Open connections `wa-server` keeps; at the cap the oldest connection is dropped for the new one (stalled ones are the oldest). Lowered to fit the process's file limit.</translation>
    </message>
    <message>
      <source>Cara tiket sampai ke printer: preview (berkas PNG, tanpa printer), network, usb, serial, cups, win32raw atau file.</source>
      <translation>How tickets reach the printer: preview (PNG files, no printer), network, usb, serial, cups, win32raw or file.</translation>
    </message>
    <message>
      <source>Profil printer python-escpos: lebar kertas, QR bawaan, pemotong (mis. TM-T20II, TM-T88V, POS-5890, ZJ-5870).</source>
      <translation>python-escpos printer profile: paper width, native QR, cutter (e.g. TM-T20II, TM-T88V, POS-5890, ZJ-5870).</translation>
    </message>
    <message>
      <source>Lebar kertas dalam mm: 58 (384 titik) atau 80 (576 titik); 0 mengambilnya dari profil.</source>
      <translation>Paper width in mm: 58 (384 dots) or 80 (576 dots); 0 takes it from the profile.</translation>
    </message>
    <message>
      <source>Cetak kode QR dengan perintah QR milik printer (GS ( k): auto (sesuai profil), yes atau no (dikirim sebagai gambar).</source>
      <translation>Print the QR code with the printer's own QR command (GS ( k): auto (as the profile says), yes or no (send it as an image).</translation>
    </message>
    <message>
      <source>Berapa detik menunggu printer tersambung atau menerima data.</source>
      <translation>Seconds to wait for the printer to connect or take data.</translation>
    </message>
    <message>
      <source>Beberapa PC meja depan pada satu basis data: nama meja ini (mis. desk1); tiket yang dibuat di sini dicetak di printer meja ini. Kosong: printer ini mencetak semua tiket.</source>
      <translation>Several desk PCs on one database: this desk's name (e.g. desk1); tickets issued here print on this desk's printer. Empty: this printer prints every ticket.</translation>
    </message>
    <message>
      <source>network: alamat IP atau nama host printer.</source>
      <translation>network: the printer's IP address or host name.</translation>
    </message>
    <message>
      <source>network: port TCP printer (cetak raw memakai 9100).</source>
      <translation>network: TCP port of the printer (raw printing is 9100).</translation>
    </message>
    <message>
      <source>usb: ID vendor, mis. 0x04b8 untuk Epson (lihat `lsusb`).</source>
      <translation>usb: vendor id, e.g. 0x04b8 for Epson (see `lsusb`).</translation>
    </message>
    <message>
      <source>usb: ID produk, mis. 0x0e15 untuk TM-T20II.</source>
      <translation>usb: product id, e.g. 0x0e15 for a TM-T20II.</translation>
    </message>
    <message>
      <source>serial: port-nya, mis. /dev/ttyUSB0 atau COM3.</source>
      <translation>serial: the port, e.g. /dev/ttyUSB0 or COM3.</translation>
    </message>
    <message>
      <source>serial: kecepatan dalam baud, sesuai pengaturan printer (9600-115200).</source>
      <translation>serial: speed in baud, as set on the printer (9600-115200).</translation>
    </message>
    <message>
      <source>cups / win32raw: nama antrean cetak printer (kosong: printer bawaan sistem).</source>
      <translation>cups / win32raw: the printer queue name (empty: the system default printer).</translation>
    </message>
    <message>
      <source>file: perangkat atau berkas tujuan, mis. /dev/usb/lp0.</source>
      <translation>file: a device or file to write to, e.g. /dev/usb/lp0.</translation>
    </message>
    <message>
      <source>preview: folder untuk tiket PNG. Kosong: 'previews' di folder data.</source>
      <translation>preview: folder for the PNG tickets. Empty: 'previews' in the data folder.</translation>
    </message>
    <message>
      <source>Kamera di meja depan: nomor perangkat (0 = webcam pertama), URL kamera IP (rtsp://...), atau berkas video atau folder gambar (demo). Kosong: tanpa kamera.</source>
      <translation>Camera at the desk: a device number (0 = the first webcam), an IP camera URL (rtsp://...), or a video file or image folder (demos). Empty: no camera.</translation>
    </message>
    <message>
      <source>Lebar gambar yang diminta dari kamera (MJPG).</source>
      <translation>Frame width asked of the camera (MJPG).</translation>
    </message>
    <message>
      <source>Tinggi gambar yang diminta dari kamera.</source>
      <translation>Frame height asked of the camera.</translation>
    </message>
    <message>
      <source>Gambar per detik yang diminta dari kamera; berkas dan folder diputar dengan kecepatan ini.</source>
      <translation>Frames per second asked of the camera; files and folders are played at this rate.</translation>
    </message>
    <message>
      <source>Paling banyak gambar pratinjau per detik di layar meja depan.</source>
      <translation>Most preview frames per second shown on the desk screen.</translation>
    </message>
    <message>
      <source>Pembaca kode batang, yang pertama dicoba lebih dahulu (zxing-cpp, pyzbar).</source>
      <translation>Barcode decoders, first tried first (zxing-cpp, pyzbar).</translation>
    </message>
    <message>
      <source>Kode yang terlihat lagi dalam sekian detik tidak dilaporkan lagi.</source>
      <translation>A code seen again within this many seconds is not reported again.</translation>
    </message>
    <message>
      <source>Pemindai keyboard USB: tombol yang dikirim pemindai setelah kode (enter, tab, crlf, atau none).</source>
      <translation>USB keyboard scanners: the key the scanner sends after a code (enter, tab, crlf, or none).</translation>
    </message>
    <message>
      <source>Pemindai keyboard USB: paling lama milidetik antara dua tombol dalam satu pindaian; tombol yang lebih lambat dianggap ketikan.</source>
      <translation>USB keyboard scanners: most milliseconds between two keys of one scan; slower keys are typing.</translation>
    </message>
    <message>
      <source>Pemindai keyboard USB: paling sedikit karakter dalam satu pindaian.</source>
      <translation>USB keyboard scanners: fewest characters in a scan.</translation>
    </message>
    <message>
      <source>Pemindai keyboard USB: karakter yang diketik pemindai sebelum setiap kode (dibuang). Kosong: tidak ada.</source>
      <translation>USB keyboard scanners: characters the scanner is set to type before each code (stripped). Empty: none.</translation>
    </message>
    <message>
      <source>Pemindai keyboard USB: karakter yang diketik pemindai setelah setiap kode, sebelum tombol akhirnya (dibuang; dengan tombol akhir none karakter ini langsung mengakhiri pindaian). Kosong: tidak ada.</source>
      <translation>USB keyboard scanners: characters the scanner is set to type after each code, before its terminator (stripped; with terminator none they end the scan at once). Empty: none.</translation>
    </message>
    <message>
      <source>Port pemindai serial (COM), mis. COM3 atau /dev/ttyACM0. Kosong: tidak ada.</source>
      <translation>Serial (COM) scanner port, e.g. COM3 or /dev/ttyACM0. Empty: none.</translation>
    </message>
    <message>
      <source>Kecepatan pemindai serial.</source>
      <translation>Serial scanner baud rate.</translation>
    </message>
    <message>
      <source>Bahasa jendela meja depan: id (Bahasa Indonesia) atau en (English).</source>
      <translation>Language of the desk window: id (Bahasa Indonesia) or en (English).</translation>
    </message>
    <message>
      <source>Putar bunyi untuk setiap hasil pindai.</source>
      <translation>Play a sound with each verdict.</translation>
    </message>
    <message>
      <source>Berapa detik hasil pindai tetap di layar sebelum meja depan menunjukkan siap untuk kode berikutnya.</source>
      <translation>Seconds a scan verdict stays on screen before the desk shows it is ready for the next code.</translation>
    </message>
    <message>
      <source>Jalankan meja depan sebagai layar sentuh layanan mandiri: layar penuh, hanya alur prioritas yang datang langsung, huruf besar dan keypad di layar.</source>
      <translation>Run the desk as a self-service touch screen: full screen, only the walk-in priority flow, big type and an on-screen keypad.</translation>
    </message>
    <message>
      <source>Layanan mandiri: detik tanpa sentuhan sebelum layar kembali ke awal.</source>
      <translation>Self-service: seconds without a touch before the screen goes back to the start.</translation>
    </message>
    <message>
      <source>Teks yang berjalan di bagian bawah layar tunggu; kosong bila tidak ada.</source>
      <translation>Text that runs along the bottom of the display; empty for none.</translation>
    </message>
    <message>
      <source>Logo kantor (PNG/SVG) di kepala layar tunggu; kosong bila tidak ada. Path relatif dihitung dari folder berkas konfigurasi ini.</source>
      <translation>Office logo (PNG/SVG) shown in the display header; empty for none. Relative paths are relative to this config file.</translation>
    </message>
    <message>
      <source>Berapa panggilan sebelumnya yang ditampilkan layar tunggu di samping yang terbaru.</source>
      <translation>How many earlier calls the display lists beside the newest one.</translation>
    </message>
    <message>
      <source>Berapa detik panggilan terbaru tetap disorot.</source>
      <translation>Seconds the newest call stays highlighted.</translation>
    </message>
    <message>
      <source>Detik antara pemeriksaan panggilan baru bila pembaruan langsung tidak tersedia (SQLite, atau PostgreSQL saat menyambung ulang).</source>
      <translation>Seconds between checks for new calls when push updates are not available (SQLite, or PostgreSQL while reconnecting).</translation>
    </message>
    <message>
      <source>Putar bunyi gong dan suara panggilan di layar tunggu.</source>
      <translation>Play the chime and the spoken call on the display.</translation>
    </message>
    <message>
      <source>Volume bunyi gong dan suara, 0.0-1.0.</source>
      <translation>Volume of the chime and voice, 0.0-1.0.</translation>
    </message>
    <message>
      <source>Berapa kali setiap panggilan diucapkan.</source>
      <translation>How many times each call is spoken.</translation>
    </message>
    <message>
      <source>Folder potongan suara (WAV, satu per kata, nama sama seperti resources/sounds/id). Kosong: suara sintetis bawaan. Path relatif dihitung dari folder berkas konfigurasi ini.</source>
      <translation>Folder of voice fragments (WAV, one per word, same names as resources/sounds/id). Empty: the bundled synthesised voice. Relative paths are relative to this config file.</translation>
    </message>
    <message>
      <source>Panggilan yang sudah lebih lama dari sekian detik saat layar tunggu mengetahuinya (setelah tersambung ulang) ditampilkan tetapi tidak diucapkan.</source>
      <translation>Calls older than this many seconds when the display learns of them (after a reconnect) are shown but not spoken.</translation>
    </message>
    <message>
      <source>Alamat yang didengarkan `web`; 0.0.0.0 (atau alamat LAN PC ini) membuat TV dan ponsel di jaringan kantor bisa menjangkaunya.</source>
      <translation>Address `web` listens on; 0.0.0.0 (or the PC's LAN address) lets the TVs and phones on the office network reach it.</translation>
    </message>
    <message>
      <source>Port yang didengarkan `web`.</source>
      <translation>Port `web` listens on.</translation>
    </message>
    <message>
      <source>Alamat yang dipakai ponsel pemohon dan TV untuk menjangkau `web`, mis. http://192.168.1.10:8089. Diisi: QR setiap tiket membuka halaman statusnya di sana. Kosong: tanpa halaman status.</source>
      <translation>The address applicants' phones and the TVs use to reach `web`, e.g. http://192.168.1.10:8089. Set: each ticket's QR opens its status page there. Empty: no status pages.</translation>
    </message>
    <message>
      <source>Hari setelah hari layanan ketika nama, tanggal lahir, nomor telepon dan foto e-KTP dihapus; jumlah dan waktu tetap disimpan untuk laporan.</source>
      <translation>Days after the service day when names, dates of birth, phone numbers and e-KTP photos are purged; counts and times stay for reports.</translation>
    </message>
    <message>
      <source>URL basis data. Kosong: berkas SQLite di folder data (satu PC). Beberapa PC: postgresql+psycopg://user:password@host/antrean.</source>
      <translation>Database URL. Empty: SQLite file in the data folder (one PC). Several PCs: postgresql+psycopg://user:password@host/antrean.</translation>
    </message>
    <message>
      <source>Folder untuk basis data, kunci dan pratinjau cetak. Kosong: folder data pengguna. Path relatif dihitung dari folder berkas konfigurasi ini.</source>
      <translation>Folder for the database, keys and printed previews. Empty: the user data folder. Relative paths are relative to this config file.</translation>
    </message>
    <message>
      <source>Berkas kunci kode booking kantor (hanya pemilik). Kosong: keys.json di folder data. Pada beberapa PC, setiap meja perlu berkas yang sama. Hanya dibuat oleh `init` dan `keys rotate`; berkas ini juga menyimpan pepper PIN supervisor.</source>
      <translation>File with the office's booking-code keys (owner-only). Empty: keys.json in the data folder. On several PCs, every desk needs the same file. Created only by `init` and `keys rotate`; it also holds the supervisor PIN pepper.</translation>
    </message>
    <message>
      <source>Izinkan ANTREAN_NOW mengatur jam (hanya untuk pelatihan dan simulasi; ditolak bila tidak dicentang).</source>
      <translation>Allow ANTREAN_NOW to set the clock (training and simulations only; refused when false).</translation>
    </message>
  </context>
  <context>
    <name>SettingsLabel</name>
    <message>
      <source>Kode kantor</source>
      <translation>Office code</translation>
    </message>
    <message>
      <source>Nama kantor</source>
      <translation>Office name</translation>
    </message>
    <message>
      <source>Zona waktu</source>
      <translation>Time zone</translation>
    </message>
    <message>
      <source>Kantor lain</source>
      <translation>Other offices</translation>
    </message>
    <message>
      <source>Huruf layanan booking</source>
      <translation>Booking service letter</translation>
    </message>
    <message>
      <source>Huruf layanan prioritas</source>
      <translation>Priority service letter</translation>
    </message>
    <message>
      <source>Layanan</source>
      <translation>Services</translation>
    </message>
    <message>
      <source>Loket</source>
      <translation>Counters (loket)</translation>
    </message>
    <message>
      <source>Pindai dibuka sebelum slot</source>
      <translation>Scanning opens before the slot</translation>
    </message>
    <message>
      <source>Batas datang sebelum slot</source>
      <translation>Must arrive before the slot</translation>
    </message>
    <message>
      <source>Kategori prioritas</source>
      <translation>Priority categories</translation>
    </message>
    <message>
      <source>Usia minimum lansia</source>
      <translation>Lansia (elderly): minimum age</translation>
    </message>
    <message>
      <source>Kategori anak: usia di bawah</source>
      <translation>Anak (child): younger than</translation>
    </message>
    <message>
      <source>Kuota prioritas per hari</source>
      <translation>Priority tickets per day</translation>
    </message>
    <message>
      <source>Hari layanan</source>
      <translation>Service days</translation>
    </message>
    <message>
      <source>Tanggal tutup</source>
      <translation>Closed dates</translation>
    </message>
    <message>
      <source>Slot pertama</source>
      <translation>First slot</translation>
    </message>
    <message>
      <source>Slot terakhir</source>
      <translation>Last slot</translation>
    </message>
    <message>
      <source>Jarak antar slot</source>
      <translation>Time between slots</translation>
    </message>
    <message>
      <source>Kapasitas slot</source>
      <translation>Bookings per slot</translation>
    </message>
    <message>
      <source>Kuota booking per hari</source>
      <translation>Bookings per day</translation>
    </message>
    <message>
      <source>Booking paling cepat</source>
      <translation>Earliest booking</translation>
    </message>
    <message>
      <source>Booking paling jauh</source>
      <translation>Latest booking</translation>
    </message>
    <message>
      <source>Jam pendaftaran</source>
      <translation>Registration hours</translation>
    </message>
    <message>
      <source>Format pesan booking</source>
      <translation>Booking message format</translation>
    </message>
    <message>
      <source>Pengiriman balasan</source>
      <translation>Where replies go</translation>
    </message>
    <message>
      <source>ID nomor telepon (Cloud API)</source>
      <translation>Phone-number id (Cloud API)</translation>
    </message>
    <message>
      <source>URL Cloud API</source>
      <translation>Cloud API URL</translation>
    </message>
    <message>
      <source>Berkas rahasia WhatsApp</source>
      <translation>WhatsApp secrets file</translation>
    </message>
    <message>
      <source>Kabari bila orang di depan tinggal</source>
      <translation>Notify when people ahead are down to</translation>
    </message>
    <message>
      <source>Template pesan pemberitahuan</source>
      <translation>Notice message template</translation>
    </message>
    <message>
      <source>Bahasa template</source>
      <translation>Template language</translation>
    </message>
    <message>
      <source>Berhenti mencoba balasan setelah</source>
      <translation>Give up on a reply after</translation>
    </message>
    <message>
      <source>Alamat webhook</source>
      <translation>Webhook address</translation>
    </message>
    <message>
      <source>Port webhook</source>
      <translation>Webhook port</translation>
    </message>
    <message>
      <source>Path webhook</source>
      <translation>Webhook path</translation>
    </message>
    <message>
      <source>Batas waktu header</source>
      <translation>Header timeout</translation>
    </message>
    <message>
      <source>Batas waktu isi permintaan</source>
      <translation>Request body timeout</translation>
    </message>
    <message>
      <source>Koneksi terbuka paling banyak</source>
      <translation>Most open connections</translation>
    </message>
    <message>
      <source>Sambungan printer</source>
      <translation>Printer connection</translation>
    </message>
    <message>
      <source>Profil printer</source>
      <translation>Printer profile</translation>
    </message>
    <message>
      <source>Lebar kertas</source>
      <translation>Paper width</translation>
    </message>
    <message>
      <source>QR dengan perintah printer</source>
      <translation>QR with the printer's command</translation>
    </message>
    <message>
      <source>Batas waktu printer</source>
      <translation>Printer timeout</translation>
    </message>
    <message>
      <source>Nama meja (beberapa PC)</source>
      <translation>Desk name (several PCs)</translation>
    </message>
    <message>
      <source>Alamat printer (network)</source>
      <translation>Printer address (network)</translation>
    </message>
    <message>
      <source>Port TCP (network)</source>
      <translation>TCP port (network)</translation>
    </message>
    <message>
      <source>ID vendor (usb)</source>
      <translation>Vendor id (usb)</translation>
    </message>
    <message>
      <source>ID produk (usb)</source>
      <translation>Product id (usb)</translation>
    </message>
    <message>
      <source>Port serial (serial)</source>
      <translation>Serial port (serial)</translation>
    </message>
    <message>
      <source>Kecepatan serial (serial)</source>
      <translation>Serial speed (serial)</translation>
    </message>
    <message>
      <source>Antrean cetak (cups / win32raw)</source>
      <translation>Print queue (cups / win32raw)</translation>
    </message>
    <message>
      <source>Perangkat atau berkas (file)</source>
      <translation>Device or file (file)</translation>
    </message>
    <message>
      <source>Folder pratinjau (preview)</source>
      <translation>Preview folder (preview)</translation>
    </message>
    <message>
      <source>Sumber kamera</source>
      <translation>Camera source</translation>
    </message>
    <message>
      <source>Lebar gambar kamera</source>
      <translation>Camera frame width</translation>
    </message>
    <message>
      <source>Tinggi gambar kamera</source>
      <translation>Camera frame height</translation>
    </message>
    <message>
      <source>Kecepatan gambar kamera</source>
      <translation>Camera frame rate</translation>
    </message>
    <message>
      <source>Kecepatan pratinjau</source>
      <translation>Preview frame rate</translation>
    </message>
    <message>
      <source>Pembaca kode batang</source>
      <translation>Barcode decoders</translation>
    </message>
    <message>
      <source>Abaikan kode yang sama selama</source>
      <translation>Ignore the same code for</translation>
    </message>
    <message>
      <source>Tombol akhir (pemindai USB)</source>
      <translation>End key (USB scanner)</translation>
    </message>
    <message>
      <source>Jeda antar tombol (pemindai USB)</source>
      <translation>Gap between keys (USB scanner)</translation>
    </message>
    <message>
      <source>Panjang pindaian minimum (pemindai USB)</source>
      <translation>Shortest scan (USB scanner)</translation>
    </message>
    <message>
      <source>Awalan (pemindai USB)</source>
      <translation>Prefix (USB scanner)</translation>
    </message>
    <message>
      <source>Akhiran (pemindai USB)</source>
      <translation>Suffix (USB scanner)</translation>
    </message>
    <message>
      <source>Port pemindai serial</source>
      <translation>Serial scanner port</translation>
    </message>
    <message>
      <source>Kecepatan pemindai serial</source>
      <translation>Serial scanner speed</translation>
    </message>
    <message>
      <source>Bahasa meja depan</source>
      <translation>Desk language</translation>
    </message>
    <message>
      <source>Bunyi hasil pindai</source>
      <translation>Scan result sounds</translation>
    </message>
    <message>
      <source>Lama hasil pindai tampil</source>
      <translation>Scan result shown for</translation>
    </message>
    <message>
      <source>Mode layanan mandiri</source>
      <translation>Self-service mode</translation>
    </message>
    <message>
      <source>Kembali ke awal bila tak disentuh (mandiri)</source>
      <translation>Back to the start when untouched (self-service)</translation>
    </message>
    <message>
      <source>Teks berjalan</source>
      <translation>Running text</translation>
    </message>
    <message>
      <source>Logo kantor</source>
      <translation>Office logo</translation>
    </message>
    <message>
      <source>Panggilan sebelumnya yang tampil</source>
      <translation>Earlier calls shown</translation>
    </message>
    <message>
      <source>Lama panggilan terbaru disorot</source>
      <translation>Newest call highlighted for</translation>
    </message>
    <message>
      <source>Selang pemeriksaan panggilan</source>
      <translation>Interval between checks for calls</translation>
    </message>
    <message>
      <source>Bunyikan panggilan</source>
      <translation>Sound the calls</translation>
    </message>
    <message>
      <source>Volume</source>
      <translation>Volume</translation>
    </message>
    <message>
      <source>Ucapkan setiap panggilan</source>
      <translation>Say each call</translation>
    </message>
    <message>
      <source>Folder suara</source>
      <translation>Voice folder</translation>
    </message>
    <message>
      <source>Panggilan lama tidak diucapkan setelah</source>
      <translation>Older calls not spoken after</translation>
    </message>
    <message>
      <source>Alamat web</source>
      <translation>Web address</translation>
    </message>
    <message>
      <source>Port web</source>
      <translation>Web port</translation>
    </message>
    <message>
      <source>Alamat untuk ponsel dan TV</source>
      <translation>Address for phones and TVs</translation>
    </message>
    <message>
      <source>Simpan data pribadi selama</source>
      <translation>Keep personal data for</translation>
    </message>
    <message>
      <source>Alamat basis data</source>
      <translation>Database URL</translation>
    </message>
    <message>
      <source>Folder data</source>
      <translation>Data folder</translation>
    </message>
    <message>
      <source>Berkas kunci</source>
      <translation>Key file</translation>
    </message>
    <message>
      <source>Izinkan jam diatur (ANTREAN_NOW)</source>
      <translation>Allow the clock to be set (ANTREAN_NOW)</translation>
    </message>
  </context>
  <context>
    <name>SettingsUnit</name>
    <message>
      <source>menit</source>
      <translation>minutes</translation>
    </message>
    <message>
      <source>detik</source>
      <translation>seconds</translation>
    </message>
    <message>
      <source>hari</source>
      <translation>days</translation>
    </message>
    <message>
      <source>tahun</source>
      <translation>years</translation>
    </message>
    <message>
      <source>piksel</source>
      <translation>pixels</translation>
    </message>
    <message>
      <source>fps</source>
      <translation>fps</translation>
    </message>
    <message>
      <source>ms</source>
      <translation>ms</translation>
    </message>
    <message>
      <source>baud</source>
      <translation>baud</translation>
    </message>
    <message>
      <source>tiket</source>
      <translation>tickets</translation>
    </message>
    <message>
      <source>booking</source>
      <translation>bookings</translation>
    </message>
    <message>
      <source>orang</source>
      <translation>people</translation>
    </message>
    <message>
      <source>koneksi</source>
      <translation>connections</translation>
    </message>
    <message>
      <source>mm</source>
      <translation>mm</translation>
    </message>
    <message>
      <source>karakter</source>
      <translation>characters</translation>
    </message>
    <message>
      <source>panggilan</source>
      <translation>calls</translation>
    </message>
    <message>
      <source>kali</source>
      <translation>times</translation>
    </message>
  </context>
  <context>
    <name>Supervisor</name>
    <message>
      <source>PIN supervisor harus {min}-{max} angka.</source>
      <translation>The supervisor PIN must be {min}-{max} digits.</translation>
    </message>
    <message>
      <source>PIN supervisor dari versi lama harus diganti (6-12 angka): jalankan 'python main.py supervisor set-pin --pin &lt;PIN lama&gt; --new-pin &lt;PIN baru&gt;'.</source>
      <translation>The supervisor PIN from an older version must be replaced (6-12 digits): run 'python main.py supervisor set-pin --pin &lt;old PIN&gt; --new-pin &lt;new PIN&gt;'.</translation>
    </message>
    <message>
      <source>Terlalu banyak PIN salah. Coba lagi setelah pukul {time}.</source>
      <translation>Too many wrong PINs. Try again after {time}.</translation>
    </message>
    <message>
      <source>PIN salah. Sisa {n} kali sebelum terkunci.</source>
      <translation>Wrong PIN. {n} tries left before it locks.</translation>
    </message>
    <message>
      <source>Alasan wajib diisi (minimal {n} huruf).</source>
      <translation>A reason is required (at least {n} letters).</translation>
    </message>
    <message>
      <source>PIN supervisor belum diatur di konfigurasi.</source>
      <translation>The supervisor PIN is not set in the configuration.</translation>
    </message>
    <message>
      <source>PIN salah. Terlalu banyak PIN salah: terkunci sampai pukul {time}.</source>
      <translation>Wrong PIN. Too many wrong PINs: locked until {time}.</translation>
    </message>
    <message>
      <source>Hanya kode booking yang hangus yang bisa dikecualikan.</source>
      <translation>Only a void booking code can be overridden.</translation>
    </message>
    <message>
      <source>Pengecualian hanya untuk jadwal hari ini.</source>
      <translation>Overrides are only for today's appointments.</translation>
    </message>
    <message>
      <source>Nomor {number} tidak ada hari ini.</source>
      <translation>There is no number {number} today.</translation>
    </message>
    <message>
      <source>Kode tidak sah.</source>
      <translation>Invalid code.</translation>
    </message>
  </context>
  <context>
    <name>Ticket</name>
    <message>
      <source>NOMOR ANTREAN</source>
      <translation>QUEUE NUMBER</translation>
    </message>
    <message>
      <source>Kategori: {category}</source>
      <translation>Category: {category}</translation>
    </message>
    <message>
      <source>Jadwal: {time}</source>
      <translation>Scheduled: {time}</translation>
    </message>
    <message>
      <source>Check-in: {time}</source>
      <translation>Check-in: {time}</translation>
    </message>
    <message>
      <source>Menunggu di depan Anda: {count} orang</source>
      <translation>Waiting ahead of you: {count}</translation>
    </message>
    <message>
      <source>Perkiraan tunggu: +/- {minutes} menit</source>
      <translation>Estimated wait: +/- {minutes} min</translation>
    </message>
    <message>
      <source>Pindai QR untuk status antrean</source>
      <translation>Scan the QR for your queue status</translation>
    </message>
    <message>
      <source>Harap menunggu panggilan nomor Anda di ruang tunggu</source>
      <translation>Please wait in the waiting room until your number is called</translation>
    </message>
    <message>
      <source>*** CETAK ULANG ***</source>
      <translation>*** REPRINT ***</translation>
    </message>
    <message>
      <source>HALAMAN UJI PRINTER</source>
      <translation>PRINTER TEST PAGE</translation>
    </message>
    <message>
      <source>kiri</source>
      <translation>left</translation>
    </message>
    <message>
      <source>kanan</source>
      <translation>right</translation>
    </message>
  </context>
  <context>
    <name>WalkIn</name>
    <message>
      <source>Nomor antrean prioritas {number} ({category}) sedang dicetak.</source>
      <translation>Priority queue number {number} ({category}) is being printed.</translation>
    </message>
    <message>
      <source>Kategori prioritas tidak dikenal: {category}.</source>
      <translation>Unknown priority category: {category}.</translation>
    </message>
    <message>
      <source>Kategori {category} memerlukan tanggal lahir.</source>
      <translation>The {category} category needs a date of birth.</translation>
    </message>
    <message>
      <source>Ditolak: lansia harus berusia minimal {age} tahun (lahir {birth}).</source>
      <translation>Refused: elderly applicants must be at least {age} years old (born {birth}).</translation>
    </message>
    <message>
      <source>Ditolak: kategori anak untuk usia di bawah {age} tahun (lahir {birth}).</source>
      <translation>Refused: the child category is for children under {age} (born {birth}).</translation>
    </message>
    <message>
      <source>Kuota antrean prioritas hari ini ({quota}) sudah habis.</source>
      <translation>Today's priority quota ({quota}) is used up.</translation>
    </message>
  </context>
</TS>
